"""Inserting many new records of one model. PostgreSQL takes them through COPY with ids drawn from the table's
sequence beforehand (COPY returns none); a multi-row INSERT of thousands of placeholders cost psycopg more to
split and bind on the client than the server spent storing the rows. SQLite keeps Django's bulk_create,
which is fast there and returns the ids."""

from __future__ import annotations

from django.db import connections, models, router


def insert(model: type[models.Model], objs: list[models.Model]) -> None:
    """Insert unsaved ``objs`` (one model) and set their ids, inside the caller's transaction."""
    if not objs:
        return
    # the connection itself, not the proxy ``django.db.connection`` (a context-local lookup on every use,
    # and each field's preparation uses it several times)
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql":
        model._default_manager.db_manager(connection.alias).bulk_create(objs)
        return
    meta = model._meta
    fields = meta.concrete_fields
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [meta.db_table, meta.pk.column, len(objs)])
        for obj, pk in zip(objs, sorted(pk for (pk,) in cursor.fetchall()), strict=True):
            obj.pk = pk  # ascending in the workbook's order, as bulk_create's would be
        # what bulk_create's compiler stores: each field's value prepared as for a save (sealed fields sealed,
        # dates and decimals adapted), all before COPY starts, since preparing may itself query the database
        # (the first sealed value loads the key) and the connection is busy while COPY runs
        rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs]
        columns = ", ".join(quote(f.column) for f in fields)
        with cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
