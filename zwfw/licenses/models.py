"""Tables of e-licenses: types, seals and their keys, licenses, status lists, shares, archives.

State changes happen only through ``zwfw.licenses.services``. Private keys are stored only
encrypted (``keystore``); a license's signed forms (``document``, ``token``) are never changed
after issuing: revocation and suspension live in the license row and the status lists.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zwfw.cases.models import Case
from zwfw.catalog.models import ServiceItem
from zwfw.core.models import Agency
from zwfw.identity.models import Enterprise, Person


class TrustLevel(models.TextChoices):
    """How far a certificate can be relied on (DOMAIN.md, "E-licenses")."""

    A = "A", _("A: issued and sealed by the issuing agency")
    B = "B", _("B: checked by a window officer")
    C = "C", _("C: uploaded by the applicant, original to be checked")
    D = "D", _("D: made by the applicant under a commitment")


class SubjectKind(models.TextChoices):
    """Who holds licenses of a type."""

    PERSON = "person", _("Natural person")
    ENTERPRISE = "enterprise", _("Legal person")


class LicenseType(models.Model):
    """A kind of certificate (营业执照, 食品经营许可证 …): its issuing item, fields and validity."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200, unique=True)
    item = models.ForeignKey(
        ServiceItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="license_types",
        verbose_name=_("issuing item"),
    )
    subject_kind = models.CharField(
        _("holder"), max_length=10, choices=SubjectKind.choices, default=SubjectKind.PERSON
    )
    fields = models.JSONField(_("fields"), default=list, blank=True)  # [{"key", "label", "required"}]
    validity_years = models.PositiveSmallIntegerField(_("validity in years"), null=True, blank=True)
    trust_level = models.CharField(
        _("trust level"), max_length=1, choices=TrustLevel.choices, default=TrustLevel.A
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("license type")
        verbose_name_plural = _("license types")

    def __str__(self) -> str:
        return self.name


class Algorithm(models.TextChoices):
    """Signature algorithms of seals."""

    ED25519 = "Ed25519", _("Ed25519")
    SM2 = "SM2", _("SM2 with SM3")


class Seal(models.Model):
    """An electronic seal (电子印章): an agency's (or, without agency, the platform's) signing
    identity; its keys rotate, the seal stays."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seals",
        verbose_name=_("agency"),
    )
    name = models.CharField(_("name"), max_length=200)
    algorithm = models.CharField(_("algorithm"), max_length=10, choices=Algorithm.choices)
    is_default = models.BooleanField(_("signs new licenses"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("seal")
        verbose_name_plural = _("seals")
        constraints = [
            models.UniqueConstraint(
                fields=["agency"], condition=models.Q(is_default=True), name="seal_one_default_per_agency"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SealKeyState(models.TextChoices):
    """A key signs while active; a retired key still verifies what it signed."""

    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired (verifies only)")


class SealKey(models.Model):
    """One key pair of a seal. The private key is stored only encrypted."""

    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="keys")
    kid = models.CharField(max_length=40, unique=True)
    algorithm = models.CharField(max_length=10, choices=Algorithm.choices)
    public_key = models.BinaryField()
    private_key_encrypted = models.TextField(editable=False)
    state = models.CharField(max_length=10, choices=SealKeyState.choices, default=SealKeyState.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["seal", "created_at"]
        verbose_name = _("seal key")
        verbose_name_plural = _("seal keys")
        constraints = [
            models.UniqueConstraint(
                fields=["seal"], condition=models.Q(state="active"), name="sealkey_one_active_per_seal"
            ),
        ]

    def __str__(self) -> str:
        return self.kid


class StatusList(models.Model):
    """A Bitstring Status List pair (revocation and suspension) shared by many licenses; each
    license holds one random index in it."""

    size = models.PositiveIntegerField(default=131_072)
    revocation = models.BinaryField()
    suspension = models.BinaryField()
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("status list")
        verbose_name_plural = _("status lists")

    def __str__(self) -> str:
        return f"status list {self.pk}"


class LicenseState(models.TextChoices):
    """A license's standing as the issuing agency last set it."""

    ACTIVE = "active", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", _("Revoked")


class License(models.Model):
    """An issued e-license: a signed W3C credential, its QR token, and its current standing."""

    number = models.CharField(_("license number"), max_length=40, unique=True)
    license_type = models.ForeignKey(LicenseType, on_delete=models.PROTECT, related_name="licenses")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="licenses")
    seal_key = models.ForeignKey(SealKey, on_delete=models.PROTECT, related_name="licenses")
    holder_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="licenses"
    )
    holder_enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="licenses"
    )
    holder_name = models.CharField(_("holder"), max_length=200)
    holder_id_masked = models.CharField(_("holder ID"), max_length=20)
    fields = models.JSONField(_("fields"), default=dict)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    document = models.JSONField()
    token = models.TextField()
    state = models.CharField(
        _("state"), max_length=10, choices=LicenseState.choices, default=LicenseState.ACTIVE
    )
    state_reason = models.TextField(blank=True)
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="licenses")
    status_index = models.PositiveIntegerField()
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="licenses")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("e-license")
        verbose_name_plural = _("e-licenses")
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="license_unique_status_index"
            ),
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(case__isnull=False), name="license_one_per_case"
            ),
        ]
        indexes = [
            models.Index(fields=["holder_person", "license_type"], name="license_person_type_idx"),
            models.Index(fields=["holder_enterprise", "license_type"], name="license_ent_type_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.license_type.name} {self.number}"


class LicenseGrant(models.Model):
    """The holder's consent: an agency (or one case) may use a license until a time."""

    license = models.ForeignKey(License, on_delete=models.PROTECT, related_name="grants")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="license_grants")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=200)
    valid_until = models.DateTimeField(_("until"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("license grant")
        verbose_name_plural = _("license grants")

    def __str__(self) -> str:
        return f"{self.license.number} → {self.agency}"


class AccessKind(models.TextChoices):
    """What an agency did with a license."""

    ATTACH = "attach", _("Attached to an application")
    VIEW = "view", _("Viewed and verified")
    COPY = "copy", _("Watermarked copy made")


class LicenseAccess(models.Model):
    """One use of a license by an agency's staff (the holder's "who looked at my licenses")."""

    license = models.ForeignKey(License, on_delete=models.PROTECT, related_name="accesses")
    kind = models.CharField(max_length=10, choices=AccessKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    grant = models.ForeignKey(LicenseGrant, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    purpose = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("license access")
        verbose_name_plural = _("license accesses")

    def __str__(self) -> str:
        return f"{self.license.number} {self.kind} {self.at:%Y-%m-%d}"


class ArchivePackage(models.Model):
    """电子文件单套归档: a concluded case's files in one package with a signed manifest."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="archive")
    file = models.FileField(upload_to="archives/%Y/")
    sha256 = models.CharField(max_length=64)
    manifest = models.JSONField()
    seal_key = models.ForeignKey(SealKey, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("archive package")
        verbose_name_plural = _("archive packages")

    def __str__(self) -> str:
        return f"archive {self.case.number}"
