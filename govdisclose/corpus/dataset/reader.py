"""``open_corpus``: a built dataset for analysis, read with filters pushed down to Parquet.

Each table method takes filters (one value or a list of values each): the year selects partition
folders before anything is opened, the others are pyarrow dataset filters that skip row groups
and rows while reading. Results are pandas frames with the contract's dtypes (``metrics`` exactly
as :func:`~govdisclose.load_reports` types it), rows in ``(source, row)`` order whatever the
batches; ``backend="dask"`` gives a lazy ``dask.dataframe`` (one partition per file) and
``backend="duckdb"`` a DuckDB relation, for work that does not fit in memory.

>>> import tempfile, govdisclose
>>> out = tempfile.mkdtemp()
>>> _ = govdisclose.build_corpus(govdisclose.sample_dir(), out, jobs=1)
>>> corpus = govdisclose.open_corpus(out)
>>> corpus
<Corpus ...: 18 files (18 reports, 0 failures), 2019–2024>
>>> m = corpus.metrics(agency="外交部", item="new_received", applicant="total")
>>> m[["agency", "year", "value"]].values.tolist()
[['外交部', 2023, 18.0]]
>>> list(corpus.sections(agency="外交部")["section"])
['一', '二', '三', '四', '五', '六']
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from govdisclose.corpus.dataset.schema import FILTER_COLUMNS, NULL_PARTITION, PARTITIONED, SCHEMAS, TABLES, to_pandas
from govdisclose.corpus.dataset.store import Store
from govdisclose.exceptions import DatasetError

__all__ = ["open_corpus", "Corpus", "BACKENDS"]

BACKENDS: tuple[str, ...] = ("pandas", "dask", "duckdb")
_YEAR_DIR = re.compile(r"/year=([^/]+)/")


def _values(value: Any) -> list[Any]:
    """A filter's values: one value (a string, a number, ``None``) or any iterable of them."""
    if isinstance(value, (str, bytes)) or value is None or not hasattr(value, "__iter__"):
        return [value]
    return list(value)


class Corpus:
    """A corpus dataset opened for reading (see :func:`open_corpus`)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self._store = Store(self.root)
        index = self._store.read_index()
        self._files: dict[str, list[str]] = index["files"]
        self.parsers: list[str] = index.get("parser", [])
        self._duck: Any = None

    def __repr__(self) -> str:
        reports, failures = (self._count(t) for t in ("reports", "failures"))
        years = self.years()
        span = f"{years[0]}–{years[-1]}" if years else "no years"
        return f"<Corpus {self.root}: {reports + failures} files ({reports} reports, {failures} failures), {span}>"

    def _count(self, table: str) -> int:
        import pyarrow.parquet as pq

        return sum(pq.read_metadata(self.root / rel).num_rows for rel in self._files.get(table, []))

    def years(self) -> list[int]:
        """The years that have a partition (reports whose year could not be read are not counted)."""
        found = {m.group(1) for rel in self._files.get("reports", []) if (m := _YEAR_DIR.search("/" + rel))}
        return sorted(int(y) for y in found if y != NULL_PARTITION)

    def files(self, table: str, year: Any = None) -> list[Path]:
        """The live Parquet files of ``table`` (of those years only, when given)."""
        if table not in TABLES:
            raise DatasetError(f"unknown table {table!r}; the tables are {', '.join(TABLES)}")
        rels = self._files.get(table, [])
        if year is not None and table in PARTITIONED:
            wanted = {NULL_PARTITION if y is None else str(int(y)) for y in _values(year)}
            rels = [r for r in rels if (m := _YEAR_DIR.search("/" + r)) and m.group(1) in wanted]
        return [self.root / r for r in rels]

    # -- the pieces shared by every backend ---------------------------------------------------------

    def _expression(self, table: str, filters: dict[str, Any]) -> Any:
        import pyarrow.dataset as ds

        unknown = sorted(set(filters) - FILTER_COLUMNS[table])
        if unknown:
            raise DatasetError(f"{table}() cannot be filtered on {', '.join(unknown)}; "
                               f"it takes {', '.join(sorted(FILTER_COLUMNS[table]))}")
        expression = None
        for column, value in filters.items():
            if value is None:
                continue
            values = _values(value)
            if column == "year":
                part = ds.field("year").isin([int(v) for v in values if v is not None])
                if None in values:
                    part = part | ds.field("year").is_null()
            else:
                part = ds.field(column).isin([str(v) for v in values])
            expression = part if expression is None else expression & part
        return expression

    def dataset(self, table: str, year: Any = None) -> Any:
        """The pyarrow dataset of ``table`` (only the partitions of ``year`` when given)."""
        import pyarrow as pa
        import pyarrow.dataset as ds

        files = self.files(table, year)
        schema = SCHEMAS[table]
        if table in PARTITIONED:
            schema = schema.append(pa.field("year", pa.int32()))
            partitioning = ds.partitioning(pa.schema([("year", pa.int32())]), flavor="hive")
            return ds.dataset([str(f) for f in files], schema=schema, format="parquet", partitioning=partitioning,
                              partition_base_dir=str(self.root / table))
        return ds.dataset([str(f) for f in files], schema=schema, format="parquet")

    def _read(self, table: str, backend: str, columns: list[str] | None, filters: dict[str, Any]) -> Any:
        if backend not in BACKENDS:
            raise DatasetError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
        expression = self._expression(table, filters)
        if backend == "duckdb":
            return self._duckdb(table, filters.get("year"), expression)
        if backend == "dask":
            return _to_dask(self, table, filters.get("year"), expression)
        try:
            data = self.dataset(table, filters.get("year")).to_table(filter=expression)
        except FileNotFoundError as exc:  # a build or compaction since this corpus was opened replaced its files
            raise DatasetError(f"{self.root}: the dataset changed since it was opened (a build or a compaction "
                               f"replaced its files); open it again ({exc})") from exc
        frame = to_pandas(data, table)
        return frame[columns] if columns else frame

    def _duckdb(self, table: str, year: Any, expression: Any) -> Any:
        from govdisclose._optional import import_optional

        duckdb = import_optional("duckdb", extra="dask", purpose="corpus queries with DuckDB")
        if self._duck is None:
            self._duck = duckdb.connect()
        data = self.dataset(table, year)
        scan = data.filter(expression) if expression is not None else data
        return self._duck.from_arrow(scan)

    # -- the tables ----------------------------------------------------------------------------------------

    def metrics(self, *, backend: str = "pandas", columns: list[str] | None = None, **filters: Any) -> Any:
        """The tidy metrics (spec §3) of every report, filtered by ``agency``, ``year``, ``table``,
        ``item``, ``applicant``, ``state``, ``template``, ``source``."""
        return self._read("metrics", backend, columns, filters)

    def findings(self, *, backend: str = "pandas", columns: list[str] | None = None, **filters: Any) -> Any:
        """The reader's and mapper's findings (``stage == "reader"``) and the validator's
        (``"validator"``), with their locations; filters ``agency, year, table, item, rule,
        severity, stage, source``."""
        return self._read("findings", backend, columns, filters)

    def sections(self, *, backend: str = "pandas", columns: list[str] | None = None, **filters: Any) -> Any:
        """The six sections' text of every report (``section``: ``一``…``六``); filters
        ``agency, year, section, source``."""
        return self._read("sections", backend, columns, filters)

    def reports(self, *, backend: str = "pandas", columns: list[str] | None = None, with_identity: bool = True,
                **filters: Any) -> Any:
        """One row per report read: file, content hash, format, template, agency, year, title,
        parser, size, cells, unreadable cells, findings and the seconds it took to read; for the
        pandas backend also who the agency is (``agency_id``, ``province`` … ``department_kind``,
        :func:`govdisclose.agency_info`, resolved when read so the user's override file applies;
        ``with_identity=False`` leaves them out)."""
        frame = self._read("reports", backend, columns, filters)
        if backend != "pandas" or not with_identity or "agency" not in frame.columns:
            return frame
        from govdisclose.analysis.identity import identity

        return identity(frame, warn=False)

    def failures(self, *, backend: str = "pandas", columns: list[str] | None = None, **filters: Any) -> Any:
        """Every file not read, and why (``error``: the exception's name; ``WorkerCrash`` for a
        file that killed its worker); filters ``error, source``."""
        return self._read("failures", backend, columns, filters)

    def to_dask(self, table: str = "metrics", **filters: Any) -> Any:
        """``table`` as a lazy ``dask.dataframe`` (one partition per Parquet file)."""
        return self._read(table, "dask", None, filters)

    def duckdb(self, table: str = "metrics", **filters: Any) -> Any:
        """``table`` as a DuckDB relation (scanned lazily, filters pushed down)."""
        return self._read(table, "duckdb", None, filters)


def _read_file(path: str, table: str, base: str, expression: Any) -> pd.DataFrame:
    """One file of a table as pandas with the contract's dtypes (a partition of the dask frame)."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    schema = SCHEMAS[table]
    partitioning = None
    if table in PARTITIONED:
        schema = schema.append(pa.field("year", pa.int32()))
        partitioning = ds.partitioning(pa.schema([("year", pa.int32())]), flavor="hive")
    data = ds.dataset([path], schema=schema, format="parquet", partitioning=partitioning,
                      partition_base_dir=base).to_table(filter=expression)
    return to_pandas(data, table)


def _to_dask(corpus: Corpus, table: str, year: Any, expression: Any) -> Any:
    from govdisclose._optional import import_optional

    dd = import_optional("dask.dataframe", extra="dask", purpose="corpus frames with Dask")
    meta = to_pandas(SCHEMAS[table].append(_year_field()).empty_table() if table in PARTITIONED
                     else SCHEMAS[table].empty_table(), table)
    files = [str(f) for f in corpus.files(table, year)]
    if not files:
        return dd.from_pandas(meta, npartitions=1)
    return dd.from_map(_read_file, files, table=table, base=str(corpus.root / table), expression=expression,
                       meta=meta, enforce_metadata=False)


def _year_field() -> Any:
    import pyarrow as pa

    return pa.field("year", pa.int32())


def open_corpus(dataset: str | os.PathLike[str]) -> Corpus:
    """Open a dataset written by :func:`~govdisclose.build_corpus` (see :class:`Corpus`).

    Raises :class:`~govdisclose.exceptions.DatasetError` if the folder is not such a dataset.
    """
    return Corpus(dataset)
