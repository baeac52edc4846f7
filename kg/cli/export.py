"""`kg export` behind the click command: check the options, open the store read-only, write each output file
under a temporary name and move it into place only when the export succeeded (an error leaves no file)."""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from ..errors import KGError
from ..store.formats import format_for_path, rdf_format


@contextmanager
def replacing(path: str) -> Iterator[IO[bytes]]:
    """A binary file that replaces ``path`` on success ('-': stdout)."""
    if path == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as out:
            yield out
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def run_export(open_graph, *, fmt: str | None, graph: str | None, query_file: str | None, network: bool,
               output: str) -> None:
    """Do one `kg export`; ``open_graph()`` opens the store read-only."""
    if network:
        from ..export.network import network_format, write_network

        if graph or query_file:
            raise KGError("--network covers the whole store; it takes no --graph or --query")
        fmt = network_format(fmt, output)
    else:
        from ..export.network import FORMATS as NETWORK_FORMATS

        if (fmt or output.rsplit(".", 1)[-1]).lower() in NETWORK_FORMATS:
            raise KGError(f"{fmt or output}: a network format; add --network for the co-mention network")
        fmt = fmt or (format_for_path(output) if output != "-" else "turtle")
        rdf_format(fmt)  # an unknown format is an error before the store is opened
    query = None
    if query_file is not None:
        try:
            query = Path(query_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise KGError(f"{query_file}: cannot read the query ({getattr(exc, 'strerror', None) or exc})") from None
    kg = open_graph()
    try:
        if network:
            write_network(kg.store, fmt, output, replacing)
            return
        with replacing(output) as out:
            try:
                kg.export(out, fmt, graph, query=query)
            except KGError as exc:
                if query_file is None:
                    raise
                raise KGError(f"{query_file}: {exc}") from None
    finally:
        kg.close()
