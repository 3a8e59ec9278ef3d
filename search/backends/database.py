"""The embedded backend: SQLite FTS5, or PostgreSQL full-text, beside SearchDocument.

SQLite: the virtual table `site_search_fts(title, body)` whose rowid is the document's
id, written in the same transaction as the document. PostgreSQL: the stored generated
column `tsv` (title words weighted A, the rest D; `simple` configuration, since the
text is already normalised) under a GIN index. Both are created by migration 0002.

Every read is a fixed number of SQL statements whatever the number of hits: one for the
counts per kind, one grouped statement per distinct set of goods filters for the facets
(which also gives the total), one for the page of hits, one per other kind's section.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import connection

from search.backends.base import SearchBackend, SearchResult
from search.models import SearchDocument, SearchTerm
from search.query import FACETS, PRICE_BUCKETS, Alternative, Filters, Plan, SearchRequest, plan

TABLE = SearchDocument._meta.db_table
FTS = "site_search_fts"
COLUMNS = (
    "id", "kind", "object_id", "language", "title", "title_en", "summary", "summary_en", "url", "image",
    "category_id", "category_path", "vendor_id", "vendor_name", "price", "currency", "in_stock",
    "installation", "rating", "popularity", "created",
)
SECTION_SIZE = 4


def _fts_alt(alt: Alternative, prefix: bool) -> str:
    phrase = '"' + " ".join(alt) + '"'
    return phrase + ("*" if prefix else "")


def _ts_alt(alt: Alternative, prefix: bool, weight: str) -> str:
    last_mark = (":*" + weight) if prefix else (":" + weight if weight else "")
    other_mark = ":" + weight if weight else ""
    words = [f"'{w}'{last_mark if i == len(alt) - 1 else other_mark}" for i, w in enumerate(alt)]
    return "(" + " <-> ".join(words) + ")" if len(words) > 1 else words[0]


def match_expression(the_plan: Plan, *, vendor: str, titles_only: bool = False) -> str:
    """The engine's query text for the plan (FTS5 MATCH syntax, or a tsquery)."""
    parts = []
    for index, group in enumerate(the_plan.groups):
        prefix = the_plan.prefix_last and index == len(the_plan.groups) - 1
        if vendor == "postgresql":
            alts = [_ts_alt(alt, prefix, "A" if titles_only else "") for alt in group]
            parts.append("(" + " | ".join(alts) + ")")
        else:
            alts = [_fts_alt(alt, prefix) for alt in group]
            parts.append("(" + " OR ".join(alts) + ")")
    if vendor == "postgresql":
        return " & ".join(parts)
    expression = " AND ".join(parts)
    return f"title : ({expression})" if titles_only else expression


def price_bucket(price: Decimal | None) -> int:
    """Which of the price ranges a price falls in (-1: no price)."""
    if price is None:
        return -1
    return next((i for i, bound in enumerate(PRICE_BUCKETS) if price < bound), len(PRICE_BUCKETS))


def facet_key(doc: dict) -> str:
    """Every goods facet value of a document in one column, so one GROUP BY counts them all."""
    if doc["kind"] != "product":
        return ""
    return "|".join(str(v) for v in (
        doc.get("category_path") or "", doc.get("vendor_id") or 0, int(bool(doc.get("in_stock"))),
        int(bool(doc.get("installation"))), doc.get("rating") or 0, price_bucket(doc.get("price")),
    ))


def _price_on_bucket_bounds(filters: Filters) -> bool:
    bounds = (None, *PRICE_BUCKETS)
    return filters.price_min in bounds and filters.price_max in bounds


def _row_passes(key: str, filters: Filters, skip: str) -> bool:
    """Whether documents with this facet key pass the selections (all but `skip`); the
    price selection must lie on the range bounds (see _price_on_bucket_bounds)."""
    path, vendor_id, in_stock, installation, rating, bucket = parse_facet_key(key)
    if filters.category_path and skip != "category" and not path.startswith(filters.category_path):
        return False
    if filters.vendor_ids and skip != "vendor" and vendor_id not in filters.vendor_ids:
        return False
    if skip != "price" and (filters.price_min is not None or filters.price_max is not None):
        if bucket < 0:
            return False
        low, high = price_bucket_bounds(bucket)
        if filters.price_min is not None and (low is None or low < filters.price_min):
            return False
        if filters.price_max is not None and (high is None or high > filters.price_max):
            return False
    if filters.in_stock and skip != "in_stock" and not in_stock:
        return False
    if filters.installation and skip != "installation" and not installation:
        return False
    return not (filters.rating_min and skip != "rating" and rating < filters.rating_min)


def parse_facet_key(key: str) -> tuple[str, int, bool, bool, int, int]:
    if not key:
        return "", 0, False, False, 0, -1
    path, vendor_id, in_stock, installation, rating, bucket = key.split("|")
    return path, int(vendor_id), in_stock == "1", installation == "1", int(rating), int(bucket)


def price_bucket_bounds(index: int) -> tuple[Decimal | None, Decimal | None]:
    low = PRICE_BUCKETS[index - 1] if index > 0 else None
    high = PRICE_BUCKETS[index] if index < len(PRICE_BUCKETS) else None
    return low, high


class DatabaseBackend(SearchBackend):
    name = "database"

    # ------------------------------------------------------------------ writing
    def index(self, docs: list[dict]) -> None:
        if not docs:
            return
        by_kind: dict[str, list[int]] = defaultdict(list)
        for doc in docs:
            by_kind[doc["kind"]].append(doc["object_id"])
        for kind, ids in by_kind.items():
            self.delete(kind, ids)
        sqlite = connection.vendor == "sqlite"
        # On SQLite the words live in the FTS table only: narrow rows keep the joins fast.
        objects = SearchDocument.objects.bulk_create([
            SearchDocument(**{**doc, "facet_key": facet_key(doc), **({"text": ""} if sqlite else {})})
            for doc in docs])
        if sqlite:
            if not all(o.pk for o in objects):  # pragma: no cover - old SQLite without RETURNING
                raise RuntimeError("SQLite 3.35 or newer is needed (RETURNING)")
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {FTS}(rowid, title, body) VALUES (%s, %s, %s)",
                    [(o.pk, doc["title_norm"], doc["text"]) for o, doc in zip(objects, docs, strict=True)],
                )
        words = {w for doc in docs for w in doc["text"].split() if len(w) <= 64}
        SearchTerm.objects.bulk_create([SearchTerm(term=w) for w in sorted(words)], ignore_conflicts=True,
                                       batch_size=2000)

    def delete(self, kind: str, object_ids: list[int]) -> None:
        ids = list(SearchDocument.objects.filter(kind=kind, object_id__in=object_ids).values_list("pk", flat=True))
        if not ids:
            return
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {FTS} WHERE rowid IN ({','.join(['%s'] * len(ids))})", ids)
        SearchDocument.objects.filter(pk__in=ids).delete()

    def clear(self, kind: str | None = None) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                if kind:
                    cursor.execute(f"DELETE FROM {FTS} WHERE rowid IN (SELECT id FROM {TABLE} WHERE kind = %s)",
                                   [kind])
                    # Rows whose document was deleted behind the index's back.
                    cursor.execute(f"DELETE FROM {FTS} WHERE rowid NOT IN (SELECT id FROM {TABLE})")
                else:
                    cursor.execute(f"DELETE FROM {FTS}")
        (SearchDocument.objects.filter(kind=kind) if kind else SearchDocument.objects.all()).delete()

    # ------------------------------------------------------------------ reading
    def _from(self, expression: str) -> tuple[str, list, str]:
        """FROM … WHERE <match>, its parameters, and a rank expression (lower is better)."""
        if connection.vendor == "postgresql":
            return (f"FROM to_tsquery('simple', %s) AS q, {TABLE} d WHERE d.tsv @@ q", [expression],
                    "-ts_rank(d.tsv, q)")
        return (f"FROM {FTS} CROSS JOIN {TABLE} d ON d.id = {FTS}.rowid WHERE {FTS} MATCH %s", [expression],
                f"bm25({FTS}, 4.0, 1.0)")

    @staticmethod
    def _filters_sql(filters: Filters, skip: str = "") -> tuple[str, list]:
        sql, params = [], []
        if filters.category_path and skip != "category":
            sql.append("d.category_path LIKE %s")
            params.append(filters.category_path + "%")
        if filters.vendor_ids and skip != "vendor":
            sql.append(f"d.vendor_id IN ({','.join(['%s'] * len(filters.vendor_ids))})")
            params += list(filters.vendor_ids)
        if skip != "price":
            if filters.price_min is not None:
                sql.append("d.price >= %s")
                params.append(filters.price_min)
            if filters.price_max is not None:
                sql.append("d.price < %s")
                params.append(filters.price_max)
        if filters.in_stock and skip != "in_stock":
            sql.append("d.in_stock = %s")
            params.append(True)
        if filters.installation and skip != "installation":
            sql.append("d.installation = %s")
            params.append(True)
        if filters.rating_min and skip != "rating":
            sql.append("d.rating >= %s")
            params.append(filters.rating_min)
        return "".join(f" AND {s}" for s in sql), params

    @staticmethod
    def _order(sort: str, rank: str, reverse: bool = False) -> str:
        newest = [("d.created", "DESC"), ("d.id", "DESC")]
        terms = {
            "price": [("d.price IS NULL", ""), ("d.price", ""), ("d.id", "")],
            "-price": [("d.price IS NULL", ""), ("d.price", "DESC"), ("d.id", "")],
            "rating": [("d.rating IS NULL", ""), ("d.rating", ""), ("d.id", "")],
            "-rating": [("d.rating IS NULL", ""), ("d.rating", "DESC"), ("d.id", "")],
            "created": [("d.created IS NULL", ""), ("d.created", ""), ("d.id", "")],
            "-created": newest,
            "newest": newest,
        }.get(sort, [(rank, ""), ("d.popularity", "DESC"), ("d.id", "")])
        if reverse:
            terms = [(expr, "" if direction else "DESC") for expr, direction in terms]
        return ", ".join(f"{expr} {direction}".strip() for expr, direction in terms)

    @staticmethod
    def _window(page: int, per_page: int, total: int) -> tuple[int, int, bool]:
        """LIMIT, OFFSET and whether to read backwards: a page in the second half is read
        from the end, so the last page costs what the first does."""
        offset = (max(page, 1) - 1) * per_page
        if total and offset > total // 2 and offset < total:
            limit = min(per_page, total - offset)
            return limit, total - offset - limit, True
        return per_page, offset, False

    def _rows(self, cursor) -> list[dict]:
        rows = [dict(zip(COLUMNS, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:  # SQLite hands decimals back as floats
            if row["price"] is not None and not isinstance(row["price"], Decimal):
                row["price"] = Decimal(str(row["price"])).quantize(Decimal("0.01"))
            row["in_stock"], row["installation"] = bool(row["in_stock"]), bool(row["installation"])
        return rows

    def search(self, request: SearchRequest) -> SearchResult:
        the_plan = plan(request.q)
        kind = request.kind or "product"
        result = SearchResult(request=request, plan=the_plan, backend=self.name)
        result.counts = dict.fromkeys(("product", "service", "help"), 0)
        if the_plan.empty:
            return result
        base, params, rank = self._from(match_expression(the_plan, vendor=connection.vendor))
        language = " AND d.language IN ('', %s)"
        with connection.cursor() as cursor:
            # One grouped statement gives the counts per kind and the goods facets without
            # selections (each facet's values folded into one facet_key per document).
            cursor.execute(
                f"SELECT d.kind, d.facet_key, MAX(d.vendor_name), COUNT(*) {base}{language} "
                f"GROUP BY d.kind, d.facet_key",
                [*params, request.language],
            )
            unfiltered = cursor.fetchall()
            for row_kind, _key, _name, n in unfiltered:
                if row_kind in result.counts:
                    result.counts[row_kind] += n
            columns = ", ".join(f"d.{c}" for c in COLUMNS)
            if kind == "product":
                goods = [row[1:] for row in unfiltered if row[0] == "product"]
                result.facets, result.total = self._facets(cursor, base, params, request.filters, goods)
                where, fparams = self._filters_sql(request.filters)
            else:
                result.total = result.counts.get(kind, 0)
                where, fparams = "", []
            limit, offset, backwards = self._window(request.page, request.per_page, result.total)
            cursor.execute(
                f"SELECT {columns} {base} AND d.kind = %s{language}{where} "
                f"ORDER BY {self._order(request.sort, rank, backwards)} LIMIT %s OFFSET %s",
                [*params, kind, request.language, *fparams, limit, offset],
            )
            result.hits = self._rows(cursor)[::-1] if backwards else self._rows(cursor)
            if not request.kind:
                for other in ("service", "help"):
                    if not result.counts[other]:
                        result.sections[other] = []
                        continue
                    cursor.execute(
                        f"SELECT {columns} {base} AND d.kind = %s{language} "
                        f"ORDER BY {rank}, d.popularity DESC, d.id LIMIT %s",
                        [*params, other, request.language, SECTION_SIZE],
                    )
                    result.sections[other] = self._rows(cursor)
        return result

    def _facets(self, cursor, base: str, params: list, filters: Filters, unfiltered: list[tuple]
                ) -> tuple[dict, int]:
        """Each facet counted with the other facets' selections applied.

        Without selections the grouped rows of the counts statement serve every facet;
        with selections, one statement with all of them, and one more per selected facet
        without its own.
        """
        active = filters.active()
        grouped: dict[str, list[tuple]] = {}
        if _price_on_bucket_bounds(filters):
            # Every selection can be read off the facet keys: no statement at all.
            for skip in [""] + sorted(active):
                grouped[skip] = [row for row in unfiltered if _row_passes(row[0], filters, skip)]
            active_sql: set[str] = set()
        else:
            active_sql = active
        for skip in ([""] + sorted(active_sql)) if active_sql else []:
            where, fparams = self._filters_sql(filters, skip=skip)
            cursor.execute(
                f"SELECT d.facet_key, MAX(d.vendor_name), COUNT(*) {base} AND d.kind = 'product'{where} "
                f"GROUP BY d.facet_key",
                [*params, *fparams],
            )
            grouped[skip] = cursor.fetchall()
        if not active:
            grouped[""] = unfiltered
        total = sum(row[-1] for row in grouped[""])
        facets: dict[str, dict] = {name: defaultdict(int) for name in FACETS}
        vendor_names: dict[int, str] = {}
        for name in FACETS:
            counts = facets[name]
            for key, vendor_name, n in grouped[name] if name in active else grouped[""]:
                path, vendor_id, in_stock, installation, rating, bucket = parse_facet_key(key)
                if name == "category" and path:
                    for end in range(4, len(path) + 1, 4):
                        counts[path[:end]] += n
                elif name == "vendor" and vendor_id:
                    counts[vendor_id] += n
                    vendor_names[vendor_id] = vendor_name
                elif name == "price" and bucket >= 0:
                    counts[bucket] += n
                elif name == "in_stock" and in_stock:
                    counts[True] += n
                elif name == "installation" and installation:
                    counts[True] += n
                elif name == "rating" and rating:
                    for stars in range(1, rating + 1):
                        counts[stars] += n
        out = {name: dict(counts) for name, counts in facets.items()}
        out["vendor_names"] = vendor_names
        return out, total

    def suggest(self, q: str, *, language: str, limit: int = 8) -> list[dict]:
        the_plan = plan(q, prefix_last=True, fix_typos=False)
        if the_plan.empty:
            return []
        base, params, rank = self._from(match_expression(the_plan, vendor=connection.vendor, titles_only=True))
        columns = ", ".join(f"d.{c}" for c in COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns} {base} AND d.language IN ('', %s) "
                f"ORDER BY {rank}, d.popularity DESC, d.id LIMIT %s",
                [*params, language, limit],
            )
            return self._rows(cursor)

    def product_ids_sql(self, q: str) -> tuple[str, list] | None:
        """SQL selecting the ids of the products matching `q` (for `pk__in=RawSQL(...)`)."""
        the_plan = plan(q)
        if the_plan.empty:
            return None
        base, params, _rank = self._from(match_expression(the_plan, vendor=connection.vendor))
        return f"SELECT d.object_id {base} AND d.kind = 'product'", params
