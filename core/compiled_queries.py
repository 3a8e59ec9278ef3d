"""Queries asked on every page whose SQL differs only in one primary key (the signed-in
user's, the open basket's): built with the ORM once per process, then executed with that
key swapped in (issue 16).

Building a queryset with `Exists` subqueries or a `UNION` and compiling it to SQL costs
about a millisecond of Python per query, twenty times what SQLite or PostgreSQL then take
to answer it; on the header of every signed-in page that was several milliseconds for
text that never changes. The rows are read fresh on every call: only the SQL is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from typing import Any

from django.db import connections
from django.db.models import Field, Model, QuerySet
from django.db.models.query import get_related_populators

# A primary key no row has: it marks, in the compiled parameters, where the real key goes.
# Within a 32-bit integer: Django compiles a lookup with a value out of the column's range
# on PostgreSQL as "no rows" instead of as a parameter.
STAND_IN_PK = -1_987_654_321

# A moment no query asks about (aware, odd microseconds): it marks where "now" goes in a
# query that compares datetimes with it, such as Oscar's active offers.
STAND_IN_DATETIME = datetime(1987, 6, 5, 4, 32, 10, 123457, tzinfo=UTC)


class CompiledQuery:
    """`build(stand_in_pk)` returns the queryset for a key; `rows(pk)` runs its SQL for `pk`.

    Every parameter equal to the stand-in key is replaced, so the queryset may use the key
    as often as it likes (once per subquery). `variant` names anything else the SQL depends
    on (the registered work areas, say): a new variant compiles anew.
    """

    def __init__(self, build: Callable[[int], QuerySet]) -> None:
        self.build = build
        self._compiled: dict[Hashable, tuple[str, str, tuple[Any, ...], tuple[int, ...]]] = {}

    def _compile(self, variant: Hashable) -> tuple[str, str, tuple[Any, ...], tuple[int, ...]]:
        compiled = self._compiled.get(variant)
        if compiled is None:
            queryset = self.build(STAND_IN_PK)
            sql, params = queryset.query.sql_with_params()
            slots = tuple(i for i, value in enumerate(params) if type(value) is int and value == STAND_IN_PK)
            if not slots:
                raise ValueError("the compiled query does not use the key it was built for")
            compiled = (queryset.db, sql, tuple(params), slots)
            self._compiled[variant] = compiled
        return compiled

    def rows(self, pk: int, variant: Hashable = None) -> list[tuple[Any, ...]]:
        alias, sql, params, slots = self._compile(variant)
        values = list(params)
        for slot in slots:
            values[slot] = pk
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, values)
            return cursor.fetchall()


class CompiledModelQuery:
    """`build(stand_in_pk)` returns a queryset of model instances (with `select_related`, no
    annotations, no `extra`); `objects(pk)` runs its SQL for `pk` and builds the instances as
    Django's `ModelIterable` does: the same fields through the same database converters, the
    related objects set by the same populators. Only the SQL and the row layout are kept;
    every row is read fresh. Prefetches, the related managers' known objects (`line.basket`)
    and anything else done after the rows are read are the caller's.
    """

    def __init__(self, build: Callable[[Any], QuerySet], key_field: Field | None = None) -> None:
        """`key_field`: the key is not a primary key but a value of this field (a datetime),
        which each backend receives adapted its own way (SQLite: a string, PostgreSQL: the
        datetime); the key is then adapted as the field adapts it, as Django's lookups do."""
        self.build = build
        self.key_field = key_field
        self.stand_in = STAND_IN_PK if key_field is None else STAND_IN_DATETIME
        self._compiled: tuple[Any, ...] | None = None

    def _adapt(self, key: Any, connection: Any) -> Any:
        if self.key_field is None:
            return key
        # What a lookup's get_db_prep_lookup passes: get_prep_value, then the backend's adaptation.
        return self.key_field.get_db_prep_value(key, connection, prepared=False)

    def _compile(self) -> tuple[Any, ...]:
        if self._compiled is None:
            queryset = self.build(self.stand_in)
            compiler = queryset.query.get_compiler(using=queryset.db)
            sql, params = compiler.as_sql()
            marker = self._adapt(self.stand_in, connections[queryset.db])
            slots = tuple(i for i, value in enumerate(params) if type(value) is type(marker) and value == marker)
            if not slots or compiler.annotation_col_map or compiler.has_extra_select:
                raise ValueError("a compiled model query needs the key and no annotations or extra columns")
            select, klass_info = compiler.select, compiler.klass_info
            start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
            init_list = [column[0].target.attname for column in select[start:end]]
            converters = tuple(compiler.get_converters([column[0] for column in select[: compiler.col_count]]).items())
            self._compiled = (
                queryset.db, sql, tuple(params), slots, klass_info["model"], start, end, init_list,
                get_related_populators(klass_info, select, queryset.db), converters,
            )
        return self._compiled

    def objects(self, pk: Any) -> list[Model]:
        alias, sql, params, slots, model, start, end, init_list, populators, converters = self._compile()
        connection = connections[alias]
        key = self._adapt(pk, connection)
        values = list(params)
        for slot in slots:
            values[slot] = key
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            rows = cursor.fetchall()
        objects = []
        for fetched in rows:
            row = list(fetched)
            for position, (functions, expression) in converters:  # SQLCompiler.apply_converters
                value = row[position]
                for function in functions:
                    value = function(value, expression, connection)
                row[position] = value
            obj = model.from_db(alias, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects
