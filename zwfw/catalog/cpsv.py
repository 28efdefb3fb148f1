"""Open export of a published implementation version as CPSV-AP 3.2.0 JSON-LD.

The document follows the official example's shape: the official context (by URL) plus a small
inline context of prefixes; class names are the official context's terms (``PublicService``,
``Channel``, ``Cost``, ``Evidence`` …) and properties are prefixed IRIs with explicit language
tags and datatypes, so the graph is the same whichever JSON-LD processor reads it. The shapes
it must satisfy are the official SHACL file (``shared/standards/cpsv-ap-3.2.0-SHACL.ttl``); the
tests validate every export against it offline. The mapping table is in docs/open-data.md.

IRIs: nodes that belong to one version are fragments of that version's guide page
(``{base}/guides/{id}/v{n}/#service``); shared things (agencies, regions, themes, our code
lists) live under ``{base}/id/``; currency and language use the EU authority tables.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.utils import timezone, translation

from zwfw.catalog.content import HandlingForm, ImplementationContent, LimitUnitName
from zwfw.catalog.guide import (
    COPY_LABELS,
    FORM_LABELS,
    HANDLING_FORM_LABELS,
    HANDLING_KIND_LABELS,
    NECESSITY_LABELS,
    RESULT_TYPE_LABELS,
    SERVICE_OBJECT_LABELS,
    SOURCE_LABELS,
    Guide,
    guide_build,
    guide_version_url,
    safe_url,
)
from zwfw.catalog.models import ImplementationVersion, ItemType

CPSV_AP_CONTEXT_URL = (
    "https://semiceu.github.io/uri.semic.eu-generated/CPSV-AP/releases/3.2.0/context/cpsv-ap.jsonld"
)
PREFIXES: dict[str, str] = {
    "cpsv": "http://purl.org/vocab/cpsv#",
    "cv": "http://data.europa.eu/m8g/",
    "dct": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "adms": "http://www.w3.org/ns/adms#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "time": "http://www.w3.org/2006/time#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
CURRENCY_CNY = "http://publications.europa.eu/resource/authority/currency/CNY"
LANGUAGE_ZHO = "http://publications.europa.eu/resource/authority/language/ZHO"
LANG = "zh"


def _text(value: str) -> dict[str, str]:
    """A Chinese language-tagged literal (rdf:langString, as the shapes require)."""
    return {"@value": value, "@language": LANG}


def _typed(value: str, datatype: str) -> dict[str, str]:
    return {"@value": value, "@type": datatype}


def _ref(iri: str) -> dict[str, str]:
    return {"@id": iri}


def iso_duration_days(days: int) -> str:
    """An xsd:duration of whole days (``P10D``; ``P0D`` for an instant item)."""
    return f"P{max(days, 0)}D"


class _Graph:
    """Collects the nodes of one export, each once, keyed by IRI."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")
        self.nodes: dict[str, dict[str, Any]] = {}

    def add(self, node: dict[str, Any]) -> dict[str, str]:
        self.nodes.setdefault(node["@id"], node)
        return _ref(node["@id"])

    def concept(self, scheme: str, value: str, label: str) -> dict[str, str]:
        """A code of one of our code lists, declared as a skos:Concept."""
        scheme_iri = f"{self.base}/id/concept/{scheme}"
        return self.add(
            {
                "@id": f"{scheme_iri}/{quote(value, safe='')}",
                "@type": "Concept",
                "skos:prefLabel": _text(label),
                "skos:notation": value,
                "skos:inScheme": _ref(scheme_iri),
            }
        )


def implementation_jsonld(version: ImplementationVersion, *, base_url: str) -> dict[str, Any]:
    """One published version as a CPSV-AP ``PublicService`` graph (a JSON-LD document)."""
    with translation.override("zh-hans"):
        return _build(version, base_url=base_url)


def _build(version: ImplementationVersion, *, base_url: str) -> dict[str, Any]:
    implementation = version.implementation
    agency = implementation.agency
    region = implementation.region
    content = ImplementationContent.model_validate(version.content)
    guide = guide_build(version, current_number=None)
    g = _Graph(base_url)
    page = f"{g.base}{guide_version_url(version)}"
    code = implementation.code

    def local(fragment: str) -> str:
        return f"{page}#{fragment}"

    location = g.add(
        {
            "@id": f"{g.base}/id/region/{region.code}",
            "@type": "Location",
            "dct:identifier": region.code,
            "skos:prefLabel": _text(region.name),
        }
    )
    authority = g.add(
        {
            "@id": f"{g.base}/id/agency/{agency.pk}",
            "@type": ["PublicOrganization", "Organization"],
            "dct:identifier": agency.uscc or f"agency-{agency.pk}",
            "dct:title": _text(agency.name),
            "skos:prefLabel": _text(agency.name),
            "dct:spatial": location,
        }
    )

    channels = []
    for form in content.handling_forms:
        node: dict[str, Any] = {
            "@id": local(f"channel-{form}"),
            "@type": "Channel",
            "dct:identifier": f"{code}-channel-{form}",
            "dct:type": g.concept("channel", form, str(HANDLING_FORM_LABELS[form])),
        }
        if form == HandlingForm.WINDOW:
            if content.place:
                node["dct:description"] = _text(content.place)
            if content.hours:
                node["cv:openingHours"] = g.add(
                    {
                        "@id": local("opening-hours"),
                        "@type": "TemporalEntity",
                        "dct:description": _text(content.hours),
                    }
                )
        elif form == HandlingForm.ONLINE:
            pages = [u for u in (safe_url(content.online_url_pc), safe_url(content.online_url_mobile)) if u]
            if pages:
                node["foaf:page"] = [_ref(u) for u in pages]
            node["dct:description"] = _text(guide.online_depth_meaning)
        channels.append(g.add(node))

    costs = []
    if content.charged:
        for i, fee in enumerate(content.fees, start=1):
            parts = [fee.name, fee.standard]
            if fee.basis:
                parts.append(f"依据：{fee.basis}")
            if fee.reduction:
                parts.append(f"减免：{fee.reduction}")
            cost: dict[str, Any] = {
                "@id": local(f"cost-{i}"),
                "@type": "Cost",
                "dct:identifier": f"{code}-cost-{i}",
                "cv:currency": g.add(
                    {"@id": CURRENCY_CNY, "@type": "Concept", "skos:prefLabel": _text("人民币")}
                ),
                "dct:description": _text("；".join(parts)),
            }
            if fee.amount_yuan is not None:
                cost["cv:hasValue"] = _typed(repr(float(fee.amount_yuan)), "xsd:double")
            costs.append(g.add(cost))
    else:
        costs.append(
            g.add(
                {
                    "@id": local("cost-free"),
                    "@type": "Cost",
                    "dct:identifier": f"{code}-cost-free",
                    "cv:hasValue": _typed("0.0", "xsd:double"),
                    "cv:currency": g.add(
                        {"@id": CURRENCY_CNY, "@type": "Concept", "skos:prefLabel": _text("人民币")}
                    ),
                    "dct:description": _text("不收费"),
                }
            )
        )

    requirements = []
    evidences = []
    if content.acceptance_conditions:
        requirements.append(
            g.add(
                {
                    "@id": local("requirement-conditions"),
                    "@type": "Requirement",
                    "dct:identifier": f"{code}-conditions",
                    "dct:title": _text("受理条件"),
                    "dct:description": _text(content.acceptance_conditions),
                }
            )
        )
    for m in content.materials:
        evidence_iri, requirement_iri = local(f"evidence-{m.key}"), local(f"requirement-{m.key}")
        details = [
            str(NECESSITY_LABELS[m.necessity]),
            f"{FORM_LABELS[m.form]}，{COPY_LABELS[m.copy_kind]}，{m.copies}份",
            f"来源：{SOURCE_LABELS[m.source]}"
            + (f"（{m.license_type or m.issuing_agency}）" if m.license_type or m.issuing_agency else ""),
        ]
        if m.commitment_allowed:
            details.append("可告知承诺")
        if m.filling_notes:
            details.append(f"填报须知：{m.filling_notes}")
        if m.acceptance_standard:
            details.append(f"受理标准：{m.acceptance_standard}")
        evidence: dict[str, Any] = {
            "@id": evidence_iri,
            "@type": "Evidence",
            "dct:identifier": f"{code}-evidence-{m.key}",
            "dct:title": _text(m.name),
            "dct:description": _text("；".join(details)),
            "dct:type": g.concept("material-source", m.source, str(SOURCE_LABELS[m.source])),
            "cv:supportsRequirement": _ref(requirement_iri),
        }
        evidences.append(g.add(evidence))
        requirements.append(
            g.add(
                {
                    "@id": requirement_iri,
                    "@type": "Requirement",
                    "dct:identifier": f"{code}-requirement-{m.key}",
                    "dct:title": _text(f"提交{m.name}"),
                    "dct:type": g.concept("necessity", m.necessity, str(NECESSITY_LABELS[m.necessity])),
                    "cv:hasSupportingEvidence": _ref(evidence_iri),
                }
            )
        )

    service: dict[str, Any] = {
        "@id": local("service"),
        "@type": "PublicService",
        "dct:identifier": code,
        "dct:title": _text(guide.name),
        "dct:description": _text(
            _description(
                guide_name=guide.name,
                guide=guide,
                working_days=content.promised_limit_unit == LimitUnitName.WORKING_DAYS,
            )
        ),
        "owl:versionInfo": str(version.number),
        "dct:issued": _typed(timezone.localtime(version.published_at).isoformat(), "xsd:dateTime"),
        "foaf:page": _ref(page),
        "dct:language": g.add({"@id": LANGUAGE_ZHO, "@type": "LinguisticSystem"}),
        "adms:status": g.concept("status", "published", "已发布"),
        "dct:type": g.concept("item-type", guide.item_type, _item_type_label(guide.item_type)),
        "dct:audience": [
            g.concept("service-object", s, str(SERVICE_OBJECT_LABELS[s])) for s in content.service_objects
        ],
        "dct:spatial": location,
        "cv:hasCompetentAuthority": authority,
        "cv:hasChannel": channels,
        "cv:hasCost": costs,
        "cv:holdsRequirement": requirements,
        "cpsv:hasInput": evidences,
    }
    if content.promised_limit is not None:
        service["cv:processingTime"] = _typed(iso_duration_days(content.promised_limit), "xsd:duration")
    if content.result_name:
        service["cpsv:produces"] = [
            g.add(
                {
                    "@id": local("output"),
                    "@type": "Output",
                    "dct:identifier": f"{code}-output",
                    "dct:title": _text(content.result_name),
                    "dct:type": g.concept(
                        "result-type", content.result_type, str(RESULT_TYPE_LABELS[content.result_type])
                    ),
                }
            )
        ]
    if guide.legal_basis.strip():
        legal = g.add(
            {
                "@id": local("legal-basis"),
                "@type": "LegalResource",
                "dct:description": _text(guide.legal_basis),
            }
        )
        service["cv:hasLegalResource"] = [legal]
        service["cpsv:follows"] = [
            g.add(
                {
                    "@id": local("rule"),
                    "@type": "Rule",
                    "dct:identifier": f"{code}-rule",
                    "dct:title": _text("设定依据"),
                    "dct:description": _text(guide.legal_basis),
                    "cpsv:implements": legal,
                }
            )
        ]
    events = []
    for kind, themes, type_term in (
        ("life", content.person_themes, "LifeEvent"),
        ("business", content.legal_person_themes, "BusinessEvent"),
    ):
        for theme in themes:
            events.append(
                g.add(
                    {
                        "@id": f"{g.base}/id/event/{kind}/{quote(theme, safe='')}",
                        "@type": [type_term, "Event"],
                        "dct:identifier": f"{kind}-event:{theme}",
                        "dct:title": _text(theme),
                    }
                )
            )
    if events:
        service["cv:isGroupedBy"] = events
    contacts = []
    for key, phone, other, label in (
        ("consultation", content.consultation_phone, content.consultation_other, "咨询"),
        ("complaint", content.complaint_phone, content.complaint_other, "监督投诉"),
    ):
        if phone or other:
            contact: dict[str, Any] = {
                "@id": local(f"contact-{key}"),
                "@type": "ContactPoint",
                "dct:description": _text(label + (f"：{other}" if other else "")),
            }
            if phone:
                contact["cv:telephone"] = phone
            contacts.append(g.add(contact))
    if contacts:
        service["cv:contactPoint"] = contacts
    g.nodes = {local("service"): service, **g.nodes}
    return {"@context": [CPSV_AP_CONTEXT_URL, PREFIXES], "@graph": list(g.nodes.values())}


def _item_type_label(value: str) -> str:
    try:
        return str(ItemType(value).label)
    except ValueError:
        return value


def _description(*, guide_name: str, guide: Guide, working_days: bool) -> str:
    """A plain-language summary: what it is, who handles it, how long it takes (in working days)."""
    parts = [
        f"{guide_name}（{_item_type_label(guide.item_type)}），由{guide.agency}办理，"
        f"{str(HANDLING_KIND_LABELS.get(guide.handling_kind, ''))}。"
    ]
    if guide.promised_limit:
        limit = f"承诺办结时限：{guide.promised_limit}"
        if guide.statutory_limit:
            limit += f"（法定办结时限：{guide.statutory_limit}）"
        parts.append(limit + "。")
        if working_days:
            parts.append("时限按工作日计算，不含法定节假日；processingTime 中的天数为工作日。")
    return "".join(parts)
