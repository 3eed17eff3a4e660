"""How much a workbook may hold (docs/workbook.md states these): generous for a real unit — a bureau of 150
people keeps a few thousand rows a year — and small enough that an import stays within a few hundred MB of
memory whatever the file holds."""

#: all parts of the .xlsx unpacked together, and any single part (a sheet's XML, the shared strings)
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_PART_BYTES = 64 * 1024 * 1024
#: a part unpacking to more than this many times its packed size (and over 1 MB) is a zip bomb
MAX_RATIO = 200
MAX_PARTS = 2000
#: data rows per sheet and cells read in the whole workbook (empty rows are not counted)
MAX_ROWS_PER_SHEET = 100_000
MAX_CELLS = 2_000_000
#: problems listed in full; beyond these only the total is given
MAX_PROBLEMS = 200
