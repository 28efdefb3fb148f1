"""CPSV-AP 3.2.0 JSON-LD export: the graph holds the service and its parts, and it conforms to
the official SHACL shapes (validated offline with the official context loaded from shared/)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from zwfw.catalog import services
from zwfw.catalog.cpsv import CPSV_AP_CONTEXT_URL, implementation_jsonld, iso_duration_days
from zwfw.catalog.tests.factories import make_implementation, make_item, publishable_content
from zwfw.core.models import AgencyKind
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role

pytestmark = pytest.mark.django_db

# shared/ sits beside the repository (locally and in CI: <repo>/../shared).
STANDARDS = Path(__file__).resolve().parents[3] / ".." / "shared" / "standards"
CONTEXT_FILE = STANDARDS / "cpsv-ap-3.2.0-context.jsonld"
SHACL_FILE = STANDARDS / "cpsv-ap-3.2.0-SHACL.ttl"

CPSV = Namespace("http://purl.org/vocab/cpsv#")
CV = Namespace("http://data.europa.eu/m8g/")
DCT = Namespace("http://purl.org/dc/terms/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
XSD_DURATION = URIRef("http://www.w3.org/2001/XMLSchema#duration")
XSD_DOUBLE = URIRef("http://www.w3.org/2001/XMLSchema#double")
CNY = URIRef("http://publications.europa.eu/resource/authority/currency/CNY")


@pytest.fixture(scope="module")
def standards() -> tuple[dict, Graph]:
    """The official context and shapes; a missing shared/ is a failure, never a skip."""
    if not CONTEXT_FILE.is_file() or not SHACL_FILE.is_file():
        pytest.fail(
            f"CPSV-AP standards data not found at {STANDARDS.resolve()}: the tests need shared/standards/ "
            "(cpsv-ap-3.2.0-context.jsonld and cpsv-ap-3.2.0-SHACL.ttl) beside the repository."
        )
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    shapes = Graph().parse(SHACL_FILE, format="turtle")
    return context, shapes


def to_graph(document: dict, context: dict) -> Graph:
    """Parse an export offline: the official context URL is replaced by the local document."""
    assert document["@context"][0] == CPSV_AP_CONTEXT_URL
    local = {**document, "@context": [context, *document["@context"][1:]]}
    return Graph().parse(data=json.dumps(local, ensure_ascii=False), format="json-ld")


def validate(graph: Graph, shapes: Graph) -> None:
    conforms, _report_graph, report = pyshacl.validate(
        graph, shacl_graph=shapes, inference="none", abort_on_first=False, allow_warnings=False
    )
    assert conforms, report


@pytest.fixture
def reviewer(world):
    """A catalog admin of 景洪市's 政务服务管理局 (the region's 政务服务部门)."""
    from zwfw.core import services as core_services

    bureau = core_services.agency_create(
        name="景洪市政务服务管理局", region=world.jinghong, kind=AgencyKind.SERVICE_ADMINISTRATION
    )
    user = identity_services.user_create(username="catalog_reviewer", password="pw")
    identity_services.staff_membership_grant(user=user, agency=bureau, role=Role.CATALOG_ADMIN, system=True)
    return user


def publish(world, reviewer, implementation, kind="add"):
    adjustment = services.adjustment_submit(
        actor=world.catalog_admin_jh, implementation=implementation, kind=kind, reason="测试"
    )
    services.adjustment_approve(actor=reviewer, adjustment=adjustment)
    return services.adjustment_publish(actor=reviewer, adjustment=adjustment)


def charged_content(**overrides):
    content = publishable_content(
        charged=True,
        fee_basis="《食品经营许可管理办法》",
        fees=[
            {"name": "工本费", "standard": "每证10元", "amount_yuan": 10, "reduction": "小微企业免收"},
            {"name": "核查费", "standard": "按实际发生收取"},
        ],
        online_payment=True,
        online_url_mobile="https://m.zwfw.yn.gov.cn/item/1",
        person_themes=["开餐馆"],
        legal_person_themes=["企业开办"],
        consultation_other="微信公众号",
    )
    content.update(overrides)
    return content


@pytest.fixture
def published(world, reviewer):
    return publish(world, reviewer, make_implementation(world, **charged_content()))


def test_export_holds_the_service_and_conforms_to_the_official_shapes(published, standards):
    context, shapes = standards
    version = published.current_version
    graph = to_graph(implementation_jsonld(version, base_url="https://zwfw.example.cn"), context)

    # First: the graph really holds what it must (an empty graph would conform too).
    services_found = list(graph.subjects(RDF.type, CPSV.PublicService))
    assert len(services_found) == 1
    service = services_found[0]
    assert graph.value(service, DCT.identifier) == Literal(published.code)
    assert graph.value(service, DCT.title) == Literal("食品经营许可", lang="zh")
    assert graph.value(service, CV.processingTime) == Literal("P10D", datatype=XSD_DURATION)

    authority = graph.value(service, CV.hasCompetentAuthority)
    assert (authority, RDF.type, CV.PublicOrganisation) in graph
    assert graph.value(authority, SKOS.prefLabel) == Literal("景洪市市场监督管理局", lang="zh")
    assert graph.value(authority, DCT.identifier) is not None
    assert graph.value(graph.value(authority, DCT.spatial), DCT.identifier) == Literal("532801")

    channels = set(graph.objects(service, CV.hasChannel))
    assert len(channels) == 3  # window, online, post
    assert all((c, RDF.type, CV.Channel) in graph and graph.value(c, DCT.identifier) for c in channels)
    channel_types = {str(graph.value(graph.value(c, DCT.type), SKOS.notation)) for c in channels}
    assert channel_types == {"window", "online", "post"}

    costs = set(graph.objects(service, CV.hasCost))
    assert len(costs) == 2 and all((c, RDF.type, CV.Cost) in graph for c in costs)
    values = {graph.value(c, CV.hasValue) for c in costs}
    assert Literal("10.0", datatype=XSD_DOUBLE) in values and None in values  # the second fee has no amount
    assert {graph.value(c, CV.currency) for c in costs} == {CNY}

    evidences = set(graph.objects(service, CPSV.hasInput))
    assert len(evidences) == 3 and all((e, RDF.type, CV.Evidence) in graph for e in evidences)
    assert {str(graph.value(e, DCT.title)) for e in evidences} == {
        "食品经营许可申请书",
        "法定代表人身份证明",
        "经营场所平面图",
    }
    requirements = set(graph.objects(service, CV.holdsRequirement))
    for evidence in evidences:
        requirement = graph.value(evidence, CV.supportsRequirement)
        assert requirement in requirements and (requirement, CV.hasSupportingEvidence, evidence) in graph

    output = graph.value(service, CPSV.produces)
    assert (output, RDF.type, CV.Output) in graph and str(graph.value(output, DCT.title)) == "食品经营许可证"
    rule = graph.value(service, CPSV.follows)
    assert (rule, RDF.type, CPSV.Rule) in graph
    assert (graph.value(rule, CPSV.implements), RDF.type, ELI.LegalResource) in graph
    events = set(graph.objects(service, CV.isGroupedBy))
    assert {(e, t) for e in events for t in graph.objects(e, RDF.type) if t != CV.Event} == {
        (e, CV.LifeEvent if str(graph.value(e, DCT.title)) == "开餐馆" else CV.BusinessEvent) for e in events
    }
    assert len(events) == 2

    # Then: no violation of the official CPSV-AP 3.2.0 shapes.
    validate(graph, shapes)


def test_a_free_instant_item_has_a_zero_cost_and_a_zero_duration(world, reviewer, standards):
    context, shapes = standards
    implementation = make_implementation(
        world,
        item=make_item(world, base_code="FREE-1", name="个体工商户登记"),
        handling_kind="instant",
        promised_limit=0,
        person_themes=[],
    )
    publish(world, reviewer, implementation)
    implementation.refresh_from_db()
    graph = to_graph(
        implementation_jsonld(implementation.current_version, base_url="http://testserver"), context
    )
    service = graph.value(predicate=RDF.type, object=CPSV.PublicService)
    assert graph.value(service, CV.processingTime) == Literal("P0D", datatype=XSD_DURATION)
    (cost,) = graph.objects(service, CV.hasCost)
    assert graph.value(cost, CV.hasValue) == Literal("0.0", datatype=XSD_DOUBLE)
    assert graph.value(service, CV.isGroupedBy) is None
    validate(graph, shapes)


def test_the_shapes_do_catch_a_broken_export(published, standards):
    """Guards the guard: without its competent authority or identifiers the export is refused."""
    context, shapes = standards
    document = implementation_jsonld(published.current_version, base_url="http://testserver")
    broken = copy.deepcopy(document)
    service = broken["@graph"][0]
    assert service["@type"] == "PublicService"
    del service["cv:hasCompetentAuthority"]
    for node in broken["@graph"]:
        if node.get("@type") == "Evidence":
            del node["dct:identifier"]
    conforms, _graph, report = pyshacl.validate(
        to_graph(broken, context), shacl_graph=shapes, inference="none"
    )
    assert not conforms
    assert "hasCompetentAuthority" in report and "identifier" in report


def test_api_serves_json_ld_anonymously_for_current_and_old_versions(world, reviewer, published, client):
    response = client.get(f"/api/v1/catalog/implementations/{published.pk}/jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    document = json.loads(response.content)
    assert document["@graph"][0]["dct:identifier"] == published.code
    assert document["@graph"][0]["@id"] == f"http://testserver/guides/{published.pk}/v1/#service"

    services.implementation_update_draft(
        actor=world.catalog_admin_jh, implementation=published, draft=charged_content(promised_limit=5)
    )
    publish(world, reviewer, published, kind="change")
    current = json.loads(client.get(f"/api/v1/catalog/implementations/{published.pk}/jsonld").content)
    old = json.loads(client.get(f"/api/v1/catalog/implementations/{published.pk}/versions/1/jsonld").content)
    assert current["@graph"][0]["cv:processingTime"]["@value"] == "P5D"
    assert old["@graph"][0]["cv:processingTime"]["@value"] == "P10D"
    assert old["@graph"][0]["owl:versionInfo"] == "1"


def test_api_answers_404_for_unknown_draft_cancelled_and_missing_versions(world, reviewer, published, client):
    draft = make_implementation(world, item=make_item(world, base_code="DRAFT-1", name="草稿"))
    for path in (
        "/api/v1/catalog/implementations/999999/jsonld",
        f"/api/v1/catalog/implementations/{draft.pk}/jsonld",
        f"/api/v1/catalog/implementations/{published.pk}/versions/7/jsonld",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] in {"catalog.guide_not_found", "catalog.version_not_found"}
    publish(world, reviewer, published, kind="cancel")
    response = client.get(f"/api/v1/catalog/implementations/{published.pk}/jsonld")
    assert response.status_code == 404 and response.json()["code"] == "catalog.guide_not_found"


def test_iso_durations():
    assert iso_duration_days(10) == "P10D"
    assert iso_duration_days(0) == "P0D"
    assert iso_duration_days(-3) == "P0D"
