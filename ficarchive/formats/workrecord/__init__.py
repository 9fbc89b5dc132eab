"""The work-record text format (docs/work-record-format.md): parsing and writing, with no
database involved."""
