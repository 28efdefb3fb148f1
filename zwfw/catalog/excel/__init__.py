"""Excel in and out of the catalog (issue 3, item 7): the 实施清单 layout, import, export, template.

- ``layout``: sheets, columns and the Chinese label <-> value table; ``cells``: one cell's rules;
- ``reader``: file checks and fast row streaming; ``sheets``: rows read and cells checked;
  ``items``: catalog items in the file; ``importer``: every other check, building a plan;
  ``writer``: the one-transaction write (service calls, or the bulk path for large files);
- ``service.catalog_import`` and ``exporter.catalog_export`` / ``exporter.template_build``: the
  entry points; ``tasks``: the background import with progress; ``bench``: the 50k-row figure.
The layout and its conventions are documented in docs/catalog-excel.md.
"""

from __future__ import annotations

from zwfw.catalog.excel.bench import import_rows_benchmark
from zwfw.catalog.excel.exporter import catalog_export, template_build
from zwfw.catalog.excel.service import catalog_import
from zwfw.catalog.excel.writer import ImportReport

__all__ = ["ImportReport", "catalog_export", "catalog_import", "import_rows_benchmark", "template_build"]
