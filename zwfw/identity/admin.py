"""Admin pages of identity. Persons are read-only here: ID numbers are registered through the
service (checked, encrypted, on the ledger) and shown masked."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zwfw.identity import services
from zwfw.identity.models import Enterprise, Person, StaffMembership, User


class StaffMembershipInline(admin.TabularInline):
    """Roles are shown here; granting and revoking go through the membership page (services)."""

    model = StaffMembership
    extra = 0
    readonly_fields = ["agency", "venue", "role"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "is_staff", "is_active"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Platform"), {"fields": ("display_name", "phone", "home_region", "person", "enterprise")}),
    )
    raw_id_fields = ["person", "enterprise", "home_region"]
    inlines = [StaffMembershipInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "id_number_masked", "sex", "birth_date", "region"]
    search_fields = ["name"]
    readonly_fields = ["name", "id_number_masked", "sex", "birth_date", "phone", "region", "created_at"]
    exclude = ["id_number_encrypted", "id_number_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "legal_representative", "region"]
    search_fields = ["name", "uscc"]
    readonly_fields = ["uscc"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    """Grant and revoke roles through the services, so each change is checked and on the ledger."""

    list_display = ["user", "agency", "venue", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "agency__name"]
    raw_id_fields = ["user", "agency", "venue"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return obj is None

    def save_model(self, request: HttpRequest, obj: StaffMembership, form: object, change: bool) -> None:
        granted = services.staff_membership_grant(
            user=obj.user, agency=obj.agency, role=obj.role, venue=obj.venue, actor=request.user
        )
        obj.pk = granted.pk

    def delete_model(self, request: HttpRequest, obj: StaffMembership) -> None:
        services.staff_membership_revoke(membership=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[StaffMembership]) -> None:
        for membership in queryset:
            services.staff_membership_revoke(membership=membership, actor=request.user)
