"""Chinese search over published implementations: tokens, the index, and the one search selector.

Tokens (see docs/search.md): jieba words of the item name, each run of the name whole, and the
full pinyin and initials of every word and of every name suffix starting at a word (身份证 ->
shenfenzheng, sfz); "extra" tokens from themes, agency, materials, result and codes. They are
stored in ``Implementation.search_tokens`` / ``search_extra`` and indexed by the database
(migration 0002_search): generated tsvector columns with GIN indexes on PostgreSQL, an FTS5 table
on SQLite. Ranking: name matches first (tiers), then high-use items, then the name.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import jieba
from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from zwfw.catalog import selectors
from zwfw.catalog.content import CrossRegionScope
from zwfw.catalog.models import Implementation, ItemType
from zwfw.core.errors import ValidationFailed
from zwfw.core.models import LEVEL_PREFIX_LENGTH, Agency, Region

MAX_QUERY_LENGTH = 100
MAX_LIMIT = 100
# Counts stop here, and pages too: a frequent word (证明, 登记) matches a large part of a province,
# and counting every match would be the slowest part of a search. 500 results are 25 pages.
COUNT_CAP = 500
FTS_TABLE = "catalog_implementation_fts"
THEMES_CACHE_KEY = "catalog.search.themes"
# Pinyin of name suffixes covers this many characters, and a name has at most this many bytes of
# tokens (its vector sits in a btree index, whose entries must stay under ~2.7 kB).
SUFFIX_CHARS = 12
NAME_TOKENS_BYTES = 1000

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUNS = re.compile(rf"[{_HAN}]+|[^\W_{_HAN}]+")
_HAN_RUN = re.compile(rf"[{_HAN}]+")
_CODE_JUNK = re.compile(r"[\W_]+")

# Words of government services that jieba's general dictionary splits or only guesses (HMM).
EXTRA_WORDS = (
    "换领", "申领", "补领", "换证", "补证", "户口", "户籍", "医保", "社保", "社保卡", "低保",
    "不动产", "营业执照", "个体工商户", "公积金", "出入境", "通行证", "驾驶证", "行驶证",
    "残疾人证", "准生证", "结婚登记", "离婚登记", "出生登记", "参保登记", "临时身份证",
)  # fmt: skip

_jieba_lock = threading.Lock()
_jieba_tokenizer: jieba.Tokenizer | None = None


def _jieba() -> jieba.Tokenizer:
    """The project's own jieba tokenizer, loaded once (quietly) with the service vocabulary."""
    global _jieba_tokenizer
    if _jieba_tokenizer is None:
        with _jieba_lock:
            if _jieba_tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                for word in EXTRA_WORDS:
                    tokenizer.add_word(word)
                _jieba_tokenizer = tokenizer
    return _jieba_tokenizer


def guide_path(implementation_id: int) -> str:
    """The public guide page of an implementation (the guide pages answer at /guides/<id>/)."""
    return f"/guides/{implementation_id}/"


def guide_url(implementation: Implementation) -> str:
    """The public guide page of an implementation."""
    return guide_path(implementation.pk)


# --- tokens ------------------------------------------------------------------------------------


def _runs(text: str) -> list[str]:
    """Lower-cased runs of Han characters or of other letters and digits (punctuation dropped)."""
    return [run.lower() for run in _RUNS.findall(text)]


def _is_han(run: str) -> bool:
    return _HAN_RUN.fullmatch(run) is not None


@functools.lru_cache(maxsize=65536)
def _pinyin(word: str) -> tuple[str, ...]:
    """Full pinyin of a Han word without spaces and its initials: 身份证 -> shenfenzheng, sfz."""
    syllables = lazy_pinyin(word)
    full = "".join(syllables)
    if not (full.isascii() and full.isalpha()):  # a character pypinyin does not know
        return ()
    return (full, "".join(s[0] for s in syllables))


def _dedupe(tokens: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t for t in tokens if t))


@functools.lru_cache(maxsize=65536)
def name_tokens(name: str) -> tuple[str, ...]:
    """Tokens of an item name (weight A): words, whole runs, their pinyin and initials.

    At most NAME_TOKENS_BYTES of them (a pathological 200-character name keeps its words and loses
    some suffix pinyin): the name vector is stored in a btree index, whose rows have a size limit.
    """
    words: list[str] = []
    suffixes: list[str] = []
    for run in _runs(name):
        words.append(run)
        if not _is_han(run):
            continue
        starts: set[int] = set()
        for word, start, _end in _jieba().tokenize(run, mode="search"):
            words.append(word)
            starts.add(start)
            if len(word) > 1:
                words += _pinyin(word)
        # Every suffix starting at a word (its first SUFFIX_CHARS characters: a prefix query is
        # shorter): "sfzhl" finds 居民身份证换领 by prefix.
        for start in sorted(starts):
            suffixes += _pinyin(run[start : start + SUFFIX_CHARS])
    out: list[str] = []
    size = 0
    for token in _dedupe(words + suffixes):
        size += len(token.encode()) + 1
        if size > NAME_TOKENS_BYTES:
            break
        out.append(token)
    return tuple(out)


def _bigrams(runs: Iterable[str]) -> list[str]:
    """Overlapping character pairs of Han runs (the index behind substring search)."""
    return [run[i : i + 2] for run in runs if _is_han(run) for i in range(len(run) - 1)]


@functools.lru_cache(maxsize=65536)
def text_tokens(text: str) -> tuple[str, ...]:
    """Tokens of a secondary text (weight B): each run whole and its jieba words (no pinyin)."""
    out: list[str] = []
    for run in _runs(text):
        out.append(run)
        if _is_han(run):
            out += _jieba().cut_for_search(run)
    return _dedupe(out)


def code_tokens(code: str) -> tuple[str, ...]:
    """A code as one token, punctuation removed: 1153…-XK-001 -> 1153…xk001."""
    return _dedupe([_CODE_JUNK.sub("", code).lower()])


@dataclass(frozen=True)
class Document:
    """What the index knows of one implementation."""

    name: str
    tokens: str
    extra: str


def document_of(
    *,
    name: str,
    agency: str,
    themes: Iterable[str],
    materials: Iterable[str],
    result_name: str,
    codes: Iterable[str],
) -> Document:
    """The search document of an implementation: name tokens, and the rest as extra tokens.

    The extra tokens also carry the name's character pairs, for the substring fallback.
    """
    tokens = name_tokens(name)
    extra: list[str] = _bigrams(_runs(name))
    for text in [*themes, agency, *materials, result_name]:
        extra += text_tokens(text)
    for code in codes:
        extra += code_tokens(code)
    own = set(tokens)
    return Document(
        name=name, tokens=" ".join(tokens), extra=" ".join(t for t in _dedupe(extra) if t not in own)
    )


def _content_parts(content: dict[str, Any] | None) -> tuple[list[str], str]:
    content = content or {}
    materials = [str(m.get("name", "")) for m in content.get("materials") or [] if isinstance(m, dict)]
    return materials, str(content.get("result_name") or "")


def _document(implementation: Implementation) -> Document:
    version = implementation.current_version
    materials, result_name = _content_parts(version.content if version else implementation.draft)
    return document_of(
        name=implementation.item.name,
        agency=implementation.agency.name,
        themes=implementation.themes or [],
        materials=materials,
        result_name=result_name,
        codes=[implementation.code, implementation.item.base_code],
    )


_PG_UPDATE = (
    "UPDATE catalog_implementation AS i SET search_name = v.n, search_tokens = v.t, "
    "search_extra = v.e FROM {table} WHERE i.id = v.id"
)


def _write(rows: list[tuple[int, Document]]) -> None:
    """Store documents in the columns (PostgreSQL derives the tsvector) and, on SQLite, in FTS5."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
            params: list[int | str] = []
            for pk, doc in rows:
                params += [pk, doc.name, doc.tokens, doc.extra]
            table = f"(VALUES {values}) AS v(id, n, t, e)"  # placeholders only
            cursor.execute(_PG_UPDATE.format(table=table), params)
            return
        cursor.executemany(
            "UPDATE catalog_implementation SET search_name = %s, search_tokens = %s, search_extra = %s "
            "WHERE id = %s",
            [(doc.name, doc.tokens, doc.extra, pk) for pk, doc in rows],
        )
        if connection.vendor == "sqlite":
            cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk, _doc in rows])  # noqa: S608  # nosec B608
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, name_tokens, extra_tokens) VALUES (%s, %s, %s)",  # noqa: S608  # nosec B608
                [(pk, doc.tokens, doc.extra) for pk, doc in rows],
            )


def index_implementation(implementation: Implementation) -> None:
    """Refresh the search tokens of one implementation (called on every publication)."""
    doc = _document(implementation)
    _write([(implementation.pk, doc)])
    cache.delete(THEMES_CACHE_KEY)
    implementation.search_name = doc.name
    implementation.search_tokens = doc.tokens
    implementation.search_extra = doc.extra


def index_implementations(
    queryset: QuerySet[Implementation] | None = None,
    *,
    batch_size: int = 1000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Refresh the tokens of many implementations in batches; ``progress(done, total)`` after each."""
    qs = Implementation.objects.all() if queryset is None else queryset
    ids = list(qs.order_by("id").values_list("id", flat=True))
    fields = (
        "id", "item__name", "item__base_code", "agency__name", "code", "themes",
        "current_version__content__materials", "current_version__content__result_name",
        "draft__materials", "draft__result_name",
    )  # fmt: skip
    for start in range(0, len(ids), batch_size):
        batch = ids[start : start + batch_size]
        rows: list[tuple[int, Document]] = []
        for r in Implementation.objects.filter(id__in=batch).values_list(*fields):
            published = r[6] is not None or r[7] is not None
            materials = (r[6] if published else r[8]) or []
            result_name = (r[7] if published else r[9]) or ""
            doc = document_of(
                name=r[1],
                agency=r[3],
                themes=r[5] or [],
                materials=[str(m.get("name", "")) for m in materials if isinstance(m, dict)],
                result_name=str(result_name),
                codes=[r[4], r[2]],
            )
            rows.append((r[0], doc))
        _write(rows)
        cache.delete(THEMES_CACHE_KEY)
        if progress is not None:
            progress(start + len(batch), len(ids))
    return len(ids)


# The full-text GIN indexes of migration 0002 (PostgreSQL).
GIN_INDEXES = ("catalog_impl_search_gin", "catalog_impl_search_name_gin")


@contextmanager
def gin_indexes_suspended() -> Iterator[None]:
    """PostgreSQL: drop the full-text GIN indexes for a bulk load and build them again afterwards.

    Building a GIN index once is several times faster than updating it row by row; searches scan
    the table meanwhile, so this is for initial loads, full reindexing and benchmarks. The index
    definitions are read back from the database, never repeated here. No-op on SQLite.
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'catalog_implementation' "
            "AND indexname = ANY(%s)",
            [list(GIN_INDEXES)],
        )
        definitions = [(str(name), str(ddl)) for name, ddl in cursor.fetchall()]
        for name, _ddl in definitions:
            cursor.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, ddl in definitions:
                cursor.execute(ddl)


def fts_rebuild() -> None:
    """SQLite: make the FTS5 table hold exactly the stored tokens (no-op on PostgreSQL)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608  # nosec B608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, name_tokens, extra_tokens) "  # noqa: S608  # nosec B608
            "SELECT id, search_tokens, search_extra FROM catalog_implementation"
        )


# --- queries -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One token the query looks for; latin terms also match as a prefix (sfz -> sfzhl)."""

    text: str
    prefix: bool


# A query: every group must match; a group matches when one of its alternatives (all its terms) does.
Alternative = tuple[Term, ...]
Group = tuple[Alternative, ...]


def query_groups(q: str) -> list[Group]:
    """Segment a query like the names: Han runs with jieba, latin runs as prefixes."""
    groups: list[Group] = []
    for run in _runs(q):
        if _is_han(run):
            groups += [((Term(w, False),),) for w in _jieba().cut(run) if w.strip()]
        else:
            groups.append(((Term(run, True),),))
    latin = [g[0][0] for g in groups]
    if len(groups) > 1 and all(t.prefix for t in latin):  # "shen fen zheng" = shenfenzheng
        return [((Term("".join(t.text for t in latin), True),), tuple(latin))]
    return groups


def _render(groups: list[Group], *, fts5: bool, name_only: bool, prefix: bool) -> str:
    """The FTS5 MATCH expression or the tsquery text of a query."""

    def term(t: Term) -> str:
        star = t.prefix and prefix
        if fts5:
            return f'"{t.text}"' + ("*" if star else "")
        return f"'{t.text}'" + (":*" if star else "")

    and_, or_ = (" AND ", " OR ") if fts5 else (" & ", " | ")
    expr = and_.join(
        "(" + or_.join("(" + and_.join(term(t) for t in alt) + ")" for alt in group) + ")" for group in groups
    )
    return "{name_tokens} : (" + expr + ")" if fts5 and name_only else expr


def _matches(expression: str, *, name_only: bool = False) -> RawSQL:
    """A boolean SQL expression: the implementation's index matches ``expression``."""
    if connection.vendor == "postgresql":
        column = "search_name_vector" if name_only else "search_vector"
        sql = f"catalog_implementation.{column} @@ %s::tsquery"
    else:  # the FTS5 expression carries its own column filter
        sql = f"catalog_implementation.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"  # noqa: S608  # nosec B608
    return RawSQL(sql, [expression], output_field=BooleanField())  # noqa: S611 - a bound parameter  # nosec B611


@dataclass(frozen=True)
class SearchHit:
    """One found implementation, with what a result list shows."""

    id: int
    name: str
    code: str
    item_type: str
    agency: str
    region: str
    region_code: str
    online_depth: int
    use_count: int

    @property
    def guide_url(self) -> str:
        """The public guide page of this implementation."""
        return guide_path(self.id)


@dataclass
class SearchResult:
    """One page of search results, best first; ``count`` stops at COUNT_CAP (``count_capped``)."""

    count: int
    results: list[SearchHit] = field(default_factory=list)
    count_capped: bool = False


_ORDER = ("-use_count", "search_name", "id")


def _invalid(field_name: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        "catalog.search.invalid_filter", message, [{"field": field_name, "message": message}]
    )


def _check(
    *, q: str, item_type: str | None, online_depth: int | None, cross_region_scope: str | None
) -> None:
    if len(q) > MAX_QUERY_LENGTH:
        raise ValidationFailed(
            "catalog.search.query_too_long",
            _("Search for at most %(n)d characters.") % {"n": MAX_QUERY_LENGTH},
            [{"field": "q"}],
        )
    if item_type and item_type not in ItemType.values:
        raise _invalid("item_type", _("Unknown item type."))
    if online_depth is not None and not 1 <= online_depth <= 4:
        raise _invalid("online_depth", _("The online depth is a level from 1 to 4."))
    if cross_region_scope and cross_region_scope not in {s.value for s in CrossRegionScope}:
        raise _invalid("cross_region_scope", _("Unknown cross-region scope."))


# Past this many regions (a whole province with its villages) the region filter stays a subquery.
REGION_LIST_LIMIT = 500
REGION_CACHE_SECONDS = 300


def _region_q(region: Region, include_below: bool) -> Q:
    """The region, every region above it, and (``include_below``) every region below it.

    A short list of ids is given to the database as literals: its planner then knows how few rows
    a county has and reads them through the indexes instead of walking the whole province. The
    list is cached for REGION_CACHE_SECONDS (regions are added a few times a year).
    """
    above = [region.prefix[:n] for n in sorted(set(LEVEL_PREFIX_LENGTH.values())) if n < len(region.prefix)]
    scope = Q(prefix__in=[*above, region.prefix])
    if include_below:
        scope |= Q(prefix__startswith=region.prefix)
    key = f"catalog.search.regions:{region.pk}:{region.prefix}:{int(include_below)}"
    ids = cache.get(key)
    if not isinstance(ids, list):
        ids = list(Region.objects.filter(scope).values_list("id", flat=True)[: REGION_LIST_LIMIT + 1])
        cache.set(key, ids, REGION_CACHE_SECONDS)
    if len(ids) <= REGION_LIST_LIMIT:
        return Q(region_id__in=ids)
    return Q(region_id__in=Region.objects.filter(scope).values("id"))


def _theme_q(theme: str) -> Q:
    if connection.vendor == "postgresql":
        return Q(themes__contains=[theme])
    sql = "EXISTS (SELECT 1 FROM json_each(catalog_implementation.themes) WHERE json_each.value = %s)"
    return Q(RawSQL(sql, [theme], output_field=BooleanField()))  # noqa: S611 - a bound parameter  # nosec B611


def implementation_search(
    *,
    q: str,
    region: Region | None = None,
    include_below: bool = True,
    agency_id: int | None = None,
    item_type: str | None = None,
    theme: str | None = None,
    online_depth: int | None = None,
    cross_region_scope: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """Published implementations matching ``q`` and the filters, best first (see docs/search.md)."""
    q = " ".join(q.split())
    _check(q=q, item_type=item_type, online_depth=online_depth, cross_region_scope=cross_region_scope)
    if not 1 <= limit <= MAX_LIMIT or offset < 0 or offset + limit > COUNT_CAP:
        raise ValidationFailed(
            "catalog.search.invalid_paging",
            _("Ask for 1 to %(max)d results, within the first %(cap)d.")
            % {"max": MAX_LIMIT, "cap": COUNT_CAP},
            [{"field": "limit"}, {"field": "offset"}],
        )
    base = selectors.published_list()
    if region is not None:
        base = base.filter(_region_q(region, include_below))
    if agency_id is not None:
        base = base.filter(agency_id=agency_id)
    if item_type:
        base = base.filter(item_type=item_type)
    if theme:
        base = base.filter(_theme_q(theme))
    if online_depth is not None:
        base = base.filter(online_depth=online_depth)
    if cross_region_scope:
        base = base.filter(cross_region_scope=cross_region_scope)

    groups = query_groups(q)
    if not groups:
        return _page(base, limit=limit, offset=offset)
    fts5 = connection.vendor != "postgresql"
    matching = base.filter(_matches(_render(groups, fts5=fts5, name_only=False, prefix=True)))
    # The name itself first; then every query word in the name (a latin word as a prefix too).
    in_name = _matches(_render(groups, fts5=fts5, name_only=True, prefix=True), name_only=True)
    # (A query without Chinese characters is never a whole item name: no exact-name tier for it.)
    tiers: list[Q | RawSQL] = [Q(search_name=q), in_name] if _HAN_RUN.search(q) else [in_name]
    found = _page(matching, limit=limit, offset=offset, tiers=tiers, name_base=base)
    runs = [run for run in _runs(q) if _is_han(run)]
    if found.count or not runs:
        return found
    # Nothing found: a fragment jieba does not cut out (份证换, 证). Its character pairs narrow the
    # candidates through the index; the name must then contain each Han run of the query.
    contains = base
    grams = _bigrams(runs)
    if grams:
        pairs: list[Group] = [((Term(g, False),),) for g in dict.fromkeys(grams)]
        contains = contains.filter(_matches(_render(pairs, fts5=fts5, name_only=False, prefix=False)))
    for run in runs:
        contains = contains.filter(search_name__contains=run)
    return _page(contains, limit=limit, offset=offset)


def _hit(row: tuple[Any, ...]) -> SearchHit:
    """A hit from (id, name, code, item type, agency, region, region code, depth, use)."""
    name, code, item_type, agency, region, region_code = (str(v) for v in row[1:7])
    return SearchHit(
        id=int(row[0]),
        name=name,
        code=code,
        item_type=item_type,
        agency=agency,
        region=region,
        region_code=region_code,
        online_depth=int(row[7]),
        use_count=int(row[8]),
    )


_PAGE_SQL = """
SELECT page.id, page.total, page.search_name, page.code, page.item_type, agency.name, region.name,
       region.code, page.online_depth, page.use_count
FROM (
    SELECT head.*, COUNT(*) OVER () AS total FROM ({head}) AS head
    ORDER BY head.search_tier DESC, head.use_count DESC, head.search_name, head.id
    LIMIT %s OFFSET %s
) AS page
JOIN core_agency AS agency ON agency.id = page.agency_id
JOIN core_region AS region ON region.id = page.region_id
ORDER BY page.search_tier DESC, page.use_count DESC, page.search_name, page.id
"""


def _page(
    matching: QuerySet[Implementation],
    *,
    limit: int,
    offset: int,
    tiers: list[Q | RawSQL] | None = None,
    name_base: QuerySet[Implementation] | None = None,
) -> SearchResult:
    """Rows offset..offset+limit of ``matching``: by tier (the first condition a row meets), then by
    use, name and id; the count stops at COUNT_CAP.

    One query reads at most COUNT_CAP + 1 matches, counts them and, when that is all of them,
    ranks them and returns the page (the usual case, and always within a county). Past the cap (a
    frequent word), each tier is read apart, in the order of the ``use_count`` index and only as
    far as the page needs; the name tiers imply a match, so they are read from ``name_base``
    without it (the planner would otherwise multiply the two conditions as if they were
    independent, or intersect a large index result it does not need).
    """
    conditions = tiers or []
    rank = Case(
        *[When(cond, then=Value(len(conditions) - n)) for n, cond in enumerate(conditions)],
        default=Value(0),
        output_field=IntegerField(),
    )
    head = (
        matching.order_by()
        .annotate(search_tier=rank)
        .values(
            "id", "search_tier", "use_count", "search_name", "code", "item_type", "online_depth",
            "agency_id", "region_id",
        )[: COUNT_CAP + 1]
    )  # fmt: skip
    sql, params = head.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_PAGE_SQL.format(head=sql), [*params, limit, offset])
        rows = cursor.fetchall()
        if rows:
            found = int(rows[0][1])
        else:  # past the last page: count alone
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS head", params)  # noqa: S608 - Django's SQL  # nosec B608
            found = int(cursor.fetchone()[0])
    if found <= COUNT_CAP:
        hits = [_hit((r[0], *r[2:])) for r in rows]
        return SearchResult(count=found, results=hits)
    end = offset + limit
    tiers_qs: list[QuerySet[Implementation]] = []
    for n in range(len(conditions) + 1):
        source = name_base if name_base is not None and n < len(conditions) else matching
        tier = source.filter(conditions[n]) if n < len(conditions) else matching
        for higher in conditions[:n]:
            tier = tier.exclude(higher)
        tiers_qs.append(tier)
    # The name tiers in one statement (each read in index order, only as far as the page needs);
    # the rest (matches outside the name) only when they do not fill the page.
    hits = _tier_hits(tiers_qs[:-1], end)
    if len(hits) < end:
        hits += _tier_hits(tiers_qs[-1:], end - len(hits))
    return SearchResult(count=COUNT_CAP, results=hits[offset:end], count_capped=True)


_TIER_SQL = "SELECT {tier} AS tier, t.* FROM ({sql}) AS t"
_TIERS_SQL = """
SELECT i.id, i.search_name, i.code, i.item_type, agency.name, region.name, region.code, i.online_depth,
       i.use_count
FROM ({union}) AS w
JOIN catalog_implementation AS i ON i.id = w.id
JOIN core_agency AS agency ON agency.id = i.agency_id
JOIN core_region AS region ON region.id = i.region_id
ORDER BY w.tier, w.use_count DESC, w.search_name, w.id
"""


def _tier_hits(tiers: list[QuerySet[Implementation]], wanted: int) -> list[SearchHit]:
    """The first ``wanted`` rows of the tiers in order (each by use, name and id), in one query."""
    parts: list[str] = []
    params: list[Any] = []
    for n, tier in enumerate(tiers):
        # Only columns of the use_count index: with the name vector it includes, walking a name
        # tier is an index-only scan; the page's other columns are joined for its rows alone.
        top = tier.order_by(*_ORDER).values("id", "use_count", "search_name")[:wanted]
        sql, tier_params = top.query.sql_with_params()
        parts.append(_TIER_SQL.format(tier=n, sql=sql))
        params += tier_params
    with connection.cursor() as cursor:
        cursor.execute(_TIERS_SQL.format(union=" UNION ALL ".join(parts)), params)
        return [_hit(row) for row in cursor.fetchall()][:wanted]


# --- parsing request parameters (shared by the API and the page) -------------------------------


@dataclass(frozen=True)
class SearchFilters:
    """Parsed filters of a search request."""

    region: Region | None = None
    agency: Agency | None = None


def filters_parse(*, region_code: str | None, agency_id: int | None) -> SearchFilters:
    """Resolve the region code and the agency id of a request, or raise ``invalid_filter``."""
    region = None
    if region_code:
        region = Region.objects.select_related("parent").filter(code=region_code.strip()).first()
        if region is None:
            raise _invalid("region", _("No region has code %(code)s.") % {"code": region_code[:20]})
    agency = None
    if agency_id is not None:
        agency = Agency.objects.filter(pk=agency_id).first()
        if agency is None:
            raise _invalid("agency", _("No such agency."))
    return SearchFilters(region=region, agency=agency)


def agency_choices(region: Region | None) -> list[Agency]:
    """Agencies of a region and of the regions above it (the search page's department filter)."""
    if region is None:
        return []
    ids: list[int] = []
    node: Region | None = region
    while node is not None:
        ids.append(node.pk)
        node = node.parent
    return list(Agency.objects.filter(region_id__in=ids).order_by("region__code", "name"))


def theme_choices() -> list[str]:
    """The themes of published implementations, for the filter (cached; reset by indexing)."""
    cached = cache.get(THEMES_CACHE_KEY)
    if isinstance(cached, list):
        return cached
    if connection.vendor == "postgresql":
        sql = (
            "SELECT DISTINCT jsonb_array_elements_text(themes) FROM catalog_implementation "
            "WHERE status = 'published' ORDER BY 1"
        )
    else:
        sql = (
            "SELECT DISTINCT j.value FROM catalog_implementation, json_each(catalog_implementation.themes) "
            "AS j WHERE catalog_implementation.status = 'published' ORDER BY 1"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        themes = [str(row[0]) for row in cursor.fetchall()]
    cache.set(THEMES_CACHE_KEY, themes, 600)
    return themes
