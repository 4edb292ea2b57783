"""Compaction: many small batches merged into few large, sorted Parquet files, atomically.

A build writes one file per batch, table and year; a year of 100,000 reports is then hundreds of
small files that a query must open and scan whole (their rows are in report order, so row-group
statistics skip nothing). Compaction merges whole batches into **compacted batches** of up to
``max_members`` files each. A compacted batch is a batch like any other for the builder: its
marker lists its members (the union of the merged batches'), its files and the batches it
``replaces``. So the builder's contract holds after compaction: a second build reads nothing; a
changed or vanished file makes the builder rewrite the compacted batch holding it without its
rows (:func:`govdisclose.corpus.dataset.builder._rewrite`, which keeps the sort order).

Each table's rows are sorted by :data:`SORT_KEYS` (``metrics`` by table, item, applicant, agency)
and written in row groups of at most :data:`ROW_GROUP_ROWS` rows and one ``table`` each, so the
statistics of each row group let a filter on those columns skip most of a file. ``metrics`` and
``findings`` are first **clustered by agency** (:data:`CLUSTER_ROWS`): a compacted batch's files
of one year each hold a range of agencies of their own (whole agencies in order, cut every
:data:`FILE_ROWS` rows), and inside a file the agencies are packed in order into clusters of
about 65,536 rows, each sorted by :data:`SORT_KEYS` and cut into row groups of its own. So a row
group's statistics bound both its agencies and its items: the typical query (one item of one
year for every agency) reads one row group per cluster, and a query of one agency one cluster
per year, not the whole year (a layout sorted by item alone puts an agency's rows in every row
group: on 20,000 synthetic reports the agency query read 4.4 times slower than before compaction).
A compacted batch's files for one table and year are ``part-<id>-0000.parquet`` …, of at most
:data:`FILE_ROWS` rows (which also bounds the memory compaction needs: one such file at a time,
its strings dictionary-encoded; the agencies' files are gathered through spill files, see
:func:`_outputs`).

The switch is atomic, as for any batch (:meth:`~govdisclose.corpus.dataset.store.Store.commit`):
the new files are written under ``_tmp/``, moved into place under new names, and only then does
the new marker, written in one rename, make them data and the merged batches dead (its
``replaces``); the old markers and files are deleted last. A crash before the marker leaves the
old batches live (the new files are unowned and deleted by the next build); a crash after it
leaves the new batch live (the old ones are dead by ``replaces``): never both, never neither.

>>> sorted(SORT_KEYS) == sorted(("metrics", "findings", "sections", "reports", "failures"))
True
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govdisclose.corpus.dataset.batch import Member, batch_id
from govdisclose.corpus.dataset.store import Store

__all__ = ["compact_corpus", "compact_store", "CompactResult", "SORT_KEYS", "CUT_KEYS", "ROW_GROUP_ROWS", "CLUSTER_ROWS", "FILE_ROWS", "FILE_BYTES",
           "MAX_MEMBERS", "AUTO_MIN_BATCHES", "unit_id", "write_sorted", "read_compact", "clusters"]

#: The columns each table's rows are sorted by in a compacted file (``source`` and ``_row`` last:
#: a total order, so the bytes written depend on the rows only).
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "metrics": ("table", "item", "applicant", "agency", "source", "_row"),
    "findings": ("stage", "table", "item", "rule", "source", "_row"),
    "sections": ("section", "source", "_row"),
    "reports": ("source",),
    "failures": ("error", "source"),
}
#: The column whose every change starts a new row group (a few values: a row group of two
#: ``metrics`` tables would have an item range spanning both); ``reports`` and ``failures``: none.
CUT_KEYS: dict[str, str] = {"metrics": "table", "findings": "stage", "sections": "section"}
#: Rows per row group of a compacted file (the unit that filters skip or read).
ROW_GROUP_ROWS = 8_192
#: The tables whose compacted files are clustered by agency, and the rows of a cluster: the
#: agencies (in order) packed into runs of about that many rows, each sorted by :data:`SORT_KEYS`
#: and cut into row groups of its own, so that the statistics of a row group bound both its
#: agencies and its items.
CLUSTER_ROWS: dict[str, int] = {"metrics": 65_536, "findings": 65_536}
#: Rows at most per compacted file (and per step of compaction in memory: about 70 bytes a row
#: of ``metrics`` dictionary-encoded, a few times that while sorting and writing).
FILE_ROWS = 2**18
#: Parquet bytes (uncompressed, as encoded) of input at most per compacted file (the sections' text).
FILE_BYTES = 64 * 2**20
#: Files (members) at most in one compacted batch: what a changed file makes the builder rewrite.
MAX_MEMBERS = 20_000
#: Batches not yet compacted that a build leaves before it compacts at its end (``compact="auto"``).
AUTO_MIN_BATCHES = 8


@dataclass
class CompactResult:
    """What a compaction did: ``merged`` batches into ``written`` compacted batches;
    ``files_before`` and ``files_after``: the live data files."""

    merged: int = 0
    written: int = 0
    files_before: int = 0
    files_after: int = 0


def unit_id(parser: str, members: list[Member]) -> str:
    """The id of a compacted batch (never that of a batch of the same members as written by a build)."""
    return batch_id(f"{parser}\0compacted", members)


def _sort_keys(data: Any, keys: tuple[str, ...]) -> Any:
    """The sort keys of ``data`` as a table in which a dictionary column is replaced by the rank
    of each row's value in its dictionary (Arrow does not sort a table's dictionary columns)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = []
    for key in keys:
        column = data.column(key)
        if pa.types.is_dictionary(column.type):  # (one dictionary: the table's are unified)
            ranks = pc.rank(column.chunk(0).dictionary, sort_keys="ascending", tiebreaker="first") \
                if column.num_chunks else pa.array([], pa.uint64())
            column = pa.chunked_array([pc.take(ranks, chunk.indices) for chunk in column.chunks], type=ranks.type)
        columns.append(column)
    return pa.table(columns, names=list(keys))


def _row_groups(cuts: list[Any], rows: int) -> list[tuple[int, int]]:
    """Row groups of at most :data:`ROW_GROUP_ROWS` rows, also cut wherever one of ``cuts`` (sorted
    columns: the agency cluster, the table's :data:`CUT_KEYS` column) changes value."""
    import numpy as np
    import pyarrow as pa

    edges = np.zeros(max(rows - 1, 0), dtype=bool)
    for column in cuts:
        if pa.types.is_integer(column.type):
            values = column.fill_null(0).to_numpy()  # (ranks count from 1)
        else:
            values = np.asarray(column.fill_null("").to_pylist(), dtype=object)
        edges |= values[1:] != values[:-1]
    bounds = [0, *(np.flatnonzero(edges) + 1).tolist(), rows]
    spans = []
    for low, high in zip(bounds, bounds[1:]):
        spans += [(a, min(a + ROW_GROUP_ROWS, high)) for a in range(low, high, ROW_GROUP_ROWS)]
    return spans


def _agency_ranks(column: Any) -> Any:
    """Each row's agency as its rank among the distinct agencies (string order, a missing agency last)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column)
    dictionary = encoded.dictionary
    ranks = np.append(pc.rank(dictionary, sort_keys="ascending", tiebreaker="first").to_numpy().astype(np.int64) - 1, len(dictionary))
    return ranks[encoded.indices.fill_null(len(dictionary)).to_numpy()]


def clusters(ranks: Any, rows: int) -> Any:
    """The agency cluster of each row: the agencies in order packed into runs of about ``rows``
    rows (an agency never split; a cluster starts where the rows before it pass a multiple of ``rows``).

    >>> import numpy as np
    >>> clusters(np.array([0, 0, 1, 2, 2, 2, 3]), 3).tolist()
    [0, 0, 0, 1, 1, 1, 2]
    """
    import numpy as np

    counts = np.bincount(ranks)
    return ((np.cumsum(counts) - counts) // rows)[ranks]


def write_sorted(data: Any, table: str, path: Path) -> None:
    """Write an Arrow table of ``table`` (string columns plain or dictionary-encoded) sorted by
    agency cluster (:data:`CLUSTER_ROWS`; tables with none: one cluster) then :data:`SORT_KEYS`,
    with the table's schema, in row groups of at most :data:`ROW_GROUP_ROWS` rows, one cluster and
    one value of the :data:`CUT_KEYS` column each (``metrics``: one ``table``)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from govdisclose.corpus.dataset.schema import SCHEMAS

    schema = SCHEMAS[table]
    data = data.unify_dictionaries().combine_chunks()  # (one copy: ``take`` on many chunks would copy them each time)
    keys = _sort_keys(data, tuple(k for k in SORT_KEYS[table] if k in data.column_names))
    if table in CLUSTER_ROWS:
        keys = keys.add_column(0, "_cluster", pa.array(clusters(_agency_ranks(data.column("agency")), CLUSTER_ROWS[table])))
    order = pc.sort_indices(keys, sort_keys=[(k, "ascending") for k in keys.column_names])
    path.parent.mkdir(parents=True, exist_ok=True)
    cut_names = [k for k in ("_cluster", CUT_KEYS.get(table)) if k in keys.column_names]
    cuts = [keys.column(k).take(order).combine_chunks() for k in cut_names]
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for low, high in _row_groups(cuts, data.num_rows):
            part = data.take(order[low:high]).select(schema.names).cast(schema)  # (plain strings, one row group at a time)
            writer.write_table(part, row_group_size=ROW_GROUP_ROWS)


def read_compact(path: Path, table: str, filters: Any = None) -> Any:
    """One file (its rows matching ``filters``, a pyarrow expression), string columns
    dictionary-encoded (a fraction of the memory: a column's few values held once), the
    sections' text aside."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from govdisclose.corpus.dataset.schema import SCHEMAS

    schema = SCHEMAS[table]
    data = pq.read_table(path, filters=filters, columns=schema.names,
                         read_dictionary=[f.name for f in schema if f.type == pa.string() and f.name != "text"])
    return data.select(schema.names)


def _first(marker: dict[str, Any]) -> str:
    return min(m[0] for m in marker["members"]) if marker["members"] else ""


def _plan(live: dict[str, dict[str, Any]], max_members: int, min_batches: int) -> list[list[dict[str, Any]]]:
    """The groups of live batches to merge: in order of their files' paths, packed up to
    ``max_members`` members; nothing when fewer than ``min_batches`` batches are not compacted."""
    if sum(not m.get("compacted") for m in live.values()) < min_batches:
        return []
    groups: list[list[dict[str, Any]]] = []
    for marker in sorted(live.values(), key=lambda m: (m["parser"], _first(m), m["id"])):
        last = groups[-1] if groups else None
        if (last is not None and last[0]["parser"] == marker["parser"]
                and sum(len(m["members"]) for m in last) + len(marker["members"]) <= max_members):
            last.append(marker)
        else:
            groups.append([marker])
    return [g for g in groups if len(g) > 1]


def _chunks(store: Store, rels: list[str]) -> list[list[str]]:
    """The input files of one table and year cut into runs of at most :data:`FILE_ROWS` rows and
    :data:`FILE_BYTES` bytes (from the files' footers; a file larger than that is a run of its own)."""
    import pyarrow.parquet as pq

    chunks: list[list[str]] = [[]]
    rows = size = 0
    for rel in rels:
        meta = pq.read_metadata(store.root / rel)
        n = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        if chunks[-1] and (size + n > FILE_BYTES or rows + meta.num_rows > FILE_ROWS):
            chunks.append([])
            rows = size = 0
        chunks[-1].append(rel)
        rows += meta.num_rows
        size += n
    return chunks


def _outputs(store: Store, table: str, rels: list[str], spill: Path) -> Iterator[Any]:
    """The rows of one table and year (the files ``rels``), as the Arrow tables of the compacted
    files to write, one at a time: runs of whole input files in path order (:func:`_chunks`), or
    for a table clustered by agency (:data:`CLUSTER_ROWS`) runs of whole agencies in order, so
    that each file holds a range of agencies of its own (a filter on one agency skips the other
    files). These are gathered in two passes over the inputs: their ``agency`` columns, to cut the
    agencies into runs of at most :data:`FILE_ROWS` rows and :data:`FILE_BYTES` bytes, then each
    input's rows are appended to its runs' files in ``spill`` (memory: one input file at a time)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    chunks = _chunks(store, rels)
    if table not in CLUSTER_ROWS or len(chunks) == 1:
        for chunk in chunks:
            yield pa.concat_tables([read_compact(store.root / rel, table) for rel in chunk])
        return
    rows: dict[str | None, int] = {}
    size: dict[str | None, float] = {}
    for rel in rels:
        meta = pq.read_metadata(store.root / rel)
        per_row = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups)) / max(1, meta.num_rows)
        agencies = pq.read_table(store.root / rel, columns=["agency"], read_dictionary=["agency"]).column("agency").combine_chunks()
        if not isinstance(agencies, pa.DictionaryArray):  # (an empty file: no chunk to combine)
            agencies = agencies.dictionary_encode()
        counts = np.bincount(agencies.indices.fill_null(len(agencies.dictionary)).to_numpy(), minlength=len(agencies.dictionary) + 1)
        for agency, count in zip([*agencies.dictionary.to_pylist(), None], counts.tolist()):
            if count:
                rows[agency] = rows.get(agency, 0) + count
                size[agency] = size.get(agency, 0.0) + count * per_row
    run: dict[str | None, int] = {}
    k = n = 0
    b = 0.0
    for agency in sorted(rows, key=lambda a: (a is None, a or "")):  # (Arrow's order: code points, missing last)
        if n and (n + rows[agency] > FILE_ROWS or b + size[agency] > FILE_BYTES):
            k, n, b = k + 1, 0, 0.0
        run[agency] = k
        n += rows[agency]
        b += size[agency]
    spill.mkdir(parents=True, exist_ok=True)
    schemas: dict[int, Any] = {}
    writers: dict[int, Any] = {}  # (Arrow IPC streams: written and read back at memory speed, dictionaries as they are)
    try:
        for rel in rels:
            data = read_compact(store.root / rel, table)
            agencies = data.column("agency").combine_chunks()
            lookup = np.array([run.get(a, -1) for a in agencies.dictionary.to_pylist()] + [run.get(None, -1)], dtype=np.int64)  # (-1: an entry no row uses)
            target = lookup[agencies.indices.fill_null(len(agencies.dictionary)).to_numpy()]
            for j in np.unique(target).tolist():
                part = data.filter(pa.array(target == j))
                if j not in writers:
                    writers[j] = pa.ipc.new_stream(spill / f"{j:04d}.arrows", part.schema)
                    schemas[j] = part.schema
                writers[j].write_table(part if part.schema == schemas[j] else part.cast(schemas[j]))
            del data, agencies
            pa.default_memory_pool().release_unused()
    finally:
        for writer in writers.values():
            writer.close()
    for j in range(k + 1):
        path = spill / f"{j:04d}.arrows"
        with pa.ipc.open_stream(path) as stream:
            yield stream.read_all()
        path.unlink()


def _merge(store: Store, group: list[dict[str, Any]]) -> dict[str, Any]:
    """Write one compacted batch for ``group`` into ``_tmp/`` and commit it (replacing the group)."""
    import pyarrow as pa

    parser = group[0]["parser"]
    members = sorted((Member(*m) for g in group for m in g["members"]), key=lambda m: m.source)
    new_id = unit_id(parser, members)
    staged = store.new_tmp(new_id)
    by_folder: dict[str, list[str]] = {}
    for marker in group:
        for rel in marker["files"]:
            by_folder.setdefault(rel.rsplit("/", 1)[0], []).append(rel)
    files = []
    for folder in sorted(by_folder):
        table = folder.split("/", 1)[0]
        for k, data in enumerate(_outputs(store, table, by_folder[folder], staged / "_spill")):  # (one at a time)
            if "batch" in data.column_names:
                data = data.set_column(data.column_names.index("batch"), "batch",
                                       pa.array([new_id] * data.num_rows, pa.string()))
            rel = f"{folder}/part-{new_id}-{k:04d}.parquet"
            write_sorted(data, table, staged / rel)
            files.append(rel)
            del data
            pa.default_memory_pool().release_unused()  # (the builder's memory stays bounded by one file)
    marker = {"id": new_id, "parser": parser, "members": [m.as_list() for m in members], "files": files,
              "replaces": [m["id"] for m in group], "compacted": True}
    store.commit(marker, staged)
    return marker


def compact_store(store: Store, live: dict[str, dict[str, Any]], *, max_members: int = MAX_MEMBERS,
                  min_batches: int = 1) -> CompactResult:
    """Compact the live batches of ``store`` (the build lock held by the caller); ``live`` is updated."""
    result = CompactResult(files_before=sum(len(m["files"]) for m in live.values()))
    for group in _plan(live, max_members, min_batches):
        marker = _merge(store, group)
        for old in group:
            del live[old["id"]]
        live[marker["id"]] = marker
        result.merged += len(group)
        result.written += 1
    result.files_after = sum(len(m["files"]) for m in live.values())
    return result


def compact_corpus(dataset: str | os.PathLike[str], *, max_members: int = MAX_MEMBERS,
                   min_batches: int = 1) -> CompactResult:
    """Merge the small batches of a built dataset into few large sorted files (see the module
    docstring); ``build_corpus`` does it at the end of a build. Returns a :class:`CompactResult`.

    >>> import tempfile, govdisclose
    >>> out = tempfile.mkdtemp()
    >>> _ = govdisclose.build_corpus(govdisclose.sample_dir(), out, jobs=1, batch_size=4, compact=False)
    >>> r = compact_corpus(out)
    >>> (r.merged, r.written), r.files_after < r.files_before
    ((5, 1), True)
    >>> len(govdisclose.open_corpus(out).reports())
    18
    """
    from govdisclose.exceptions import DatasetError

    store = Store(dataset)
    if not store.is_dataset():
        raise DatasetError(f"{store.root}: not a govdisclose corpus dataset (build one with build_corpus)")
    if max_members < 1:
        raise DatasetError(f"max_members must be at least 1, not {max_members}")
    store.lock()
    try:
        live = store.live()
        store.collect_garbage(live)
        result = compact_store(store, live, max_members=max_members, min_batches=min_batches)
        store.write_index(live)
    finally:
        store.unlock()
    return result
