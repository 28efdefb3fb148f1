"""Catalog search: tokens, ranking, filters, what is never found, re-indexing, and the search page."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from zwfw.catalog import search, services
from zwfw.catalog.models import Implementation, ItemType, ServiceItem
from zwfw.catalog.tests.factories import publishable_content
from zwfw.core import services as core_services
from zwfw.core.errors import ValidationFailed
from zwfw.core.models import Agency, AgencyKind
from zwfw.identity import services as identity_services
from zwfw.identity.models import Role, User

pytestmark = pytest.mark.django_db


@dataclass
class Editors:
    """Two catalog admins of the prefecture's 政务服务管理局: one edits, the other reviews."""

    author: User
    reviewer: User


@pytest.fixture
def editors(world) -> Editors:
    def admin(username: str) -> User:
        user = identity_services.user_create(username=username, password="pw")
        identity_services.staff_membership_grant(
            user=user, agency=world.pref_service, role=Role.CATALOG_ADMIN, system=True
        )
        return user

    return Editors(author=admin("pref_catalog_author"), reviewer=admin("pref_catalog_reviewer"))


_codes = iter(range(1, 10_000))


def make_item(world, name: str, item_type: str = ItemType.CONFIRMATION) -> ServiceItem:
    """A catalog entry of the prefecture."""
    return ServiceItem.objects.create(
        region=world.prefecture,
        base_code=f"11530000MB0000001-QR-{next(_codes):03d}",
        name=name,
        item_type=item_type,
        legal_basis="《中华人民共和国居民身份证法》",
        competent_department="公安部门",
        exercised_levels=["county"],
    )


def publish(editors: Editors, implementation: Implementation, kind: str = "add") -> Implementation:
    """Submit, approve and publish through the services (the search hook runs on publication)."""
    adjustment = services.adjustment_submit(
        actor=editors.author, implementation=implementation, kind=kind, reason="调整"
    )
    services.adjustment_approve(actor=editors.reviewer, adjustment=adjustment)
    return services.adjustment_publish(actor=editors.reviewer, adjustment=adjustment)


def offer(
    world,
    editors: Editors,
    name: str,
    *,
    agency: Agency | None = None,
    use_count: int = 0,
    published: bool = True,
    item_type: str = ItemType.CONFIRMATION,
    **content,
) -> Implementation:
    """An implementation of a new item by an agency (景洪市公安局 by default), published by default."""
    implementation = services.implementation_create(
        actor=editors.author,
        item=make_item(world, name, item_type),
        agency=agency or world.jh_police,
        draft=publishable_content(result_name=name, **content),
    )
    if published:
        implementation = publish(editors, implementation)
    Implementation.objects.filter(pk=implementation.pk).update(use_count=use_count)
    return implementation


@pytest.fixture
def id_items(world, editors) -> dict[str, Implementation]:
    """Realistic published items around 身份证 and 户口; the renewal is the most used."""
    return {
        "renewal": offer(world, editors, "居民身份证换领", use_count=900),
        "first": offer(world, editors, "居民身份证首次申领", use_count=500),
        "temporary": offer(world, editors, "临时居民身份证申领", use_count=300),
        "birth": offer(
            world, editors, "户口登记（出生登记）", use_count=400, person_themes=["生育收养", "户籍办理"]
        ),
        "proof": offer(world, editors, "身份证明开具", use_count=200),
        # Much used, and asks for 法定代表人身份证明 among its materials: a match outside the name.
        "food": offer(
            world,
            editors,
            "食品经营许可",
            agency=world.jh_market,
            use_count=5000,
            item_type=ItemType.LICENSING,
        ),
    }


def names(result: search.SearchResult) -> list[str]:
    return [hit.name for hit in result.results]


def ids(result: search.SearchResult) -> list[int]:
    return [hit.id for hit in result.results]


# --- tokens --------------------------------------------------------------------------------------


def test_name_tokens_carry_words_full_pinyin_and_initials():
    tokens = search.name_tokens("居民身份证换领")
    assert {"居民身份证换领", "身份证", "换领", "shenfenzheng", "sfz", "jmsfzhl", "sfzhl"} <= set(tokens)
    assert "户口" in search.name_tokens("户口登记（出生登记）")
    assert not any("（" in t or "）" in t for t in search.name_tokens("户口登记（出生登记）"))


def test_a_very_long_name_keeps_its_words_within_the_token_budget():
    name = "关于" + "".join(f"第{n}类特种设备作业人员资格认定" for n in range(12))[:190]
    tokens = search.name_tokens(name)
    assert sum(len(t.encode()) + 1 for t in tokens) <= search.NAME_TOKENS_BYTES
    assert {"特种设备", "作业", "资格", "tzsb"} <= set(tokens)


def test_query_segmentation_latin_is_prefix_and_split_pinyin_is_joined():
    assert search.query_groups("身份证") == [((search.Term("身份证", False),),)]
    assert search.query_groups("SFZ") == [((search.Term("sfz", True),),)]
    joined = search.query_groups("shen fen zheng")
    assert joined[0][0] == (search.Term("shenfenzheng", True),)
    assert search.query_groups("  （）  ") == []


# --- ranking -------------------------------------------------------------------------------------


@pytest.mark.smoke
@pytest.mark.parametrize("q", ["身份证", "shenfenzheng", "sfz", "SFZ", "shen fen zheng"])
def test_id_card_renewal_comes_first_for_words_pinyin_and_initials(id_items, q):
    found = search.implementation_search(q=q)
    assert found.results[0].id == id_items["renewal"].pk
    assert {"居民身份证首次申领", "临时居民身份证申领"} <= set(names(found))


def test_name_matches_rank_before_more_used_matches_elsewhere(id_items):
    found = names(search.implementation_search(q="身份证"))
    # The others only ask for 法定代表人身份证明 (a material): found after every name match, by use.
    assert found == [
        "居民身份证换领",
        "居民身份证首次申领",
        "临时居民身份证申领",
        "身份证明开具",
        "食品经营许可",
        "户口登记（出生登记）",
    ]


def test_two_character_word_finds_household_registration(id_items):
    found = search.implementation_search(q="户口")
    assert names(found)[0] == "户口登记（出生登记）"
    assert search.implementation_search(q="hukou").results[0].id == id_items["birth"].pk


def test_exact_name_first_and_pinyin_prefix_reaches_across_words(id_items):
    assert names(search.implementation_search(q="居民身份证首次申领")) == ["居民身份证首次申领"]
    # "sfzh" is a prefix of the initials of 身份证换领, not of 身份证首次申领.
    assert names(search.implementation_search(q="sfzh")) == ["居民身份证换领"]
    assert names(search.implementation_search(q="sfz 换领")) == ["居民身份证换领"]


def test_fragment_jieba_does_not_cut_out_is_still_found(id_items):
    found = names(search.implementation_search(q="份证换"))
    assert found == ["居民身份证换领"]


def test_nonsense_finds_nothing(id_items):
    assert search.implementation_search(q="zzzzqqq").count == 0
    assert search.implementation_search(q="火箭发射").count == 0


def test_pages_follow_the_ranking_without_gaps_or_repeats(id_items):
    everything = search.implementation_search(q="身份证", limit=100)
    pages = [search.implementation_search(q="身份证", limit=4, offset=o).results for o in (0, 4)]
    assert [i for page in pages for i in page] == everything.results
    assert everything.count == len(everything.results) == 6
    past_the_end = search.implementation_search(q="身份证", limit=4, offset=8)
    assert past_the_end.count == 6 and past_the_end.results == []


def test_past_the_count_cap_the_tiers_are_read_apart_in_the_same_order(id_items, monkeypatch):
    for q in ("身份证", "sfz", "shenfenzheng"):
        ranked = search.implementation_search(q=q, limit=3).results
        monkeypatch.setattr(search, "COUNT_CAP", 3)
        capped = [search.implementation_search(q=q, limit=1, offset=o) for o in range(3)]
        monkeypatch.undo()
        assert all(page.count == 3 and page.count_capped for page in capped)
        assert [i for page in capped for i in page.results] == ranked


# --- filters -------------------------------------------------------------------------------------


def test_empty_query_lists_by_use(id_items):
    found = search.implementation_search(q="", limit=3)
    assert names(found) == ["食品经营许可", "居民身份证换领", "居民身份证首次申领"]
    assert found.count == 6


def test_filters_by_type_theme_depth_scope_and_agency(world, editors, id_items):
    assert names(search.implementation_search(q="", item_type=ItemType.LICENSING)) == ["食品经营许可"]
    assert names(search.implementation_search(q="", theme="户籍办理")) == ["户口登记（出生登记）"]
    assert search.implementation_search(q="", theme="婚姻登记").count == 0
    assert ids(search.implementation_search(q="", agency_id=world.jh_market.pk)) == [id_items["food"].pk]
    online = offer(
        world,
        editors,
        "居民身份证挂失申报",
        online_depth=4,
        visits_required=0,
        cross_region_scope="national",
        cross_region_modes=["full_online"],
    )
    assert ids(search.implementation_search(q="身份证", online_depth=4)) == [online.pk]
    assert ids(search.implementation_search(q="sfz", cross_region_scope="national")) == [online.pk]
    assert search.implementation_search(q="", online_depth=3).count == 6


def test_region_covers_regions_above_and_below_but_not_neighbours(world, editors):
    pref = offer(world, editors, "居民身份证换领", agency=world.pref_service)
    jh = offer(world, editors, "居民身份证首次申领")
    mh = offer(world, editors, "临时居民身份证申领", agency=world.mh_market)
    town_agency = core_services.agency_create(
        name="嘎洒镇人民政府", region=world.township, kind=AgencyKind.TOWNSHIP_GOVERNMENT
    )
    town = offer(world, editors, "居民身份证申领受理", agency=town_agency)

    def found(**kwargs):
        return set(ids(search.implementation_search(q="身份证", **kwargs)))

    assert found(region=world.jinghong) == {pref.pk, jh.pk, town.pk}
    assert found(region=world.jinghong, include_below=False) == {pref.pk, jh.pk}
    assert found(region=world.menghai) == {pref.pk, mh.pk}
    assert found(region=world.prefecture) == {pref.pk, jh.pk, mh.pk, town.pk}


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"item_type": "permit"}, "catalog.search.invalid_filter"),
        ({"online_depth": 5}, "catalog.search.invalid_filter"),
        ({"online_depth": 0}, "catalog.search.invalid_filter"),
        ({"cross_region_scope": "galaxy"}, "catalog.search.invalid_filter"),
        ({"limit": 101}, "catalog.search.invalid_paging"),
        ({"limit": 0}, "catalog.search.invalid_paging"),
        ({"offset": -1}, "catalog.search.invalid_paging"),
        ({"offset": search.COUNT_CAP}, "catalog.search.invalid_paging"),
        ({"q": "身" * 101}, "catalog.search.query_too_long"),
    ],
)
def test_bad_filters_are_refused_with_a_stable_code(kwargs, code):
    with pytest.raises(ValidationFailed) as err:
        search.implementation_search(**{"q": "身份证", **kwargs})
    assert err.value.code == code


def test_unknown_region_or_agency_is_an_invalid_filter(world):
    assert search.filters_parse(region_code="532801", agency_id=world.jh_police.pk).region == world.jinghong
    for kwargs in ({"region_code": "999999", "agency_id": None}, {"region_code": None, "agency_id": 10**9}):
        with pytest.raises(ValidationFailed) as err:
            search.filters_parse(**kwargs)
        assert err.value.code == "catalog.search.invalid_filter"


# --- what is never found -------------------------------------------------------------------------


def test_drafts_submissions_and_cancelled_items_are_never_found(world, editors):
    offer(world, editors, "居民身份证换领", published=False)
    submitted = offer(world, editors, "居民身份证首次申领", published=False)
    services.adjustment_submit(actor=editors.author, implementation=submitted, kind="add", reason="新增")
    cancelled = offer(world, editors, "临时居民身份证申领")
    assert ids(search.implementation_search(q="sfz")) == [cancelled.pk]
    publish(editors, cancelled, kind="cancel")
    for q in ("身份证", "sfz", "shenfenzheng", ""):
        assert search.implementation_search(q=q).count == 0


# --- the index follows publication ---------------------------------------------------------------


def test_republication_reindexes_name_and_themes(world, editors):
    implementation = offer(world, editors, "居民身份证换领", person_themes=["证件办理"])
    assert ids(search.implementation_search(q="", theme="证件办理")) == [implementation.pk]
    ServiceItem.objects.filter(pk=implementation.item_id).update(name="居民身份证换发")
    services.implementation_update_draft(
        actor=editors.author,
        implementation=implementation,
        draft=publishable_content(person_themes=["户籍办理"]),
    )
    assert ids(search.implementation_search(q="换领")) == [implementation.pk]  # not republished yet
    publish(editors, implementation, kind="change")
    assert search.implementation_search(q="换领").count == 0
    assert ids(search.implementation_search(q="换发")) == [implementation.pk]
    assert ids(search.implementation_search(q="hf")) == [implementation.pk]
    assert search.implementation_search(q="", theme="证件办理").count == 0
    assert ids(search.implementation_search(q="", theme="户籍办理")) == [implementation.pk]
    assert search.theme_choices() == ["户籍办理"]


def test_bulk_reindex_restores_a_lost_index(id_items):
    Implementation.objects.update(search_tokens="", search_extra="")
    search.fts_rebuild()
    assert search.implementation_search(q="sfz").count == 0
    assert search.index_implementations(batch_size=2) == 6
    assert search.implementation_search(q="sfz").results[0].id == id_items["renewal"].pk
    one = Implementation.objects.get(pk=id_items["birth"].pk)
    assert "hukou" in one.search_tokens.split() and "户籍办理" in one.search_extra.split()


def test_reindex_command_rebuilds_everything_with_a_progress_bar(id_items):
    from io import StringIO

    from django.core.management import call_command

    Implementation.objects.update(search_tokens="", search_extra="")
    search.fts_rebuild()
    out, err = StringIO(), StringIO()
    call_command("catalog_reindex", "--batch-size", "4", stdout=out, stderr=err)
    assert "Indexed 6 implementations" in out.getvalue()
    assert "6/6" in err.getvalue()
    assert ids(search.implementation_search(q="hukou")) == [id_items["birth"].pk]


# --- the search page -----------------------------------------------------------------------------


def test_search_page_lists_results_linking_to_their_guides(client, id_items):
    response = client.get("/guides/", {"q": "sfz"})
    assert response.status_code == 200
    hits = response.context["hits"]
    assert hits[0].hit.id == id_items["renewal"].pk
    assert f'href="/guides/{id_items["renewal"].pk}/"' in response.content.decode()
    assert 'name="q"' in response.content.decode() and 'for="filter-item-type"' in response.content.decode()


def test_search_page_without_results_shows_help(client, id_items):
    response = client.get("/guides/", {"q": "火箭发射"})
    assert response.status_code == 200
    assert response.context["hits"] == [] and b"data-no-results" in response.content


def test_search_page_reports_a_bad_filter_and_shows_nothing(client, id_items):
    response = client.get("/guides/", {"q": "sfz", "online_depth": "9"})
    assert response.status_code == 200
    assert response.context["error"] and response.context["hits"] == []
    assert b"data-search-error" in response.content


def test_search_page_paginates(client, world, editors):
    for n in range(23):
        offer(world, editors, f"居民身份证换领{n:02d}", use_count=100 - n)
    first = client.get("/guides/", {"q": "身份证", "region": ""})
    assert first.context["num_pages"] == 2 and len(first.context["hits"]) == 20
    assert b'rel="next"' in first.content
    second = client.get("/guides/", {"q": "身份证", "region": "", "page": "2"})
    assert [row.hit.name for row in second.context["hits"]] == [
        "居民身份证换领20",
        "居民身份证换领21",
        "居民身份证换领22",
    ]


def test_search_page_defaults_to_the_visitors_region(client, world, editors):
    jh = offer(world, editors, "居民身份证换领")
    offer(world, editors, "居民身份证首次申领", agency=world.mh_market)
    session = client.session
    session["zwfw_region"] = world.jinghong.code
    session.save()
    response = client.get("/guides/", {"q": "sfz"})
    assert [row.hit.id for row in response.context["hits"]] == [jh.pk]
    assert world.jh_police in response.context["agencies"]  # the department filter offers 景洪市's
    assert world.mh_market not in response.context["agencies"]
    everywhere = client.get("/guides/", {"q": "sfz", "region": ""})
    assert len(everywhere.context["hits"]) == 2
