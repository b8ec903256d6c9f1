"""The fields of each kind of record and of its nested entries, and what each kind is called in a
message: the lists validation, the JSON Schemas and the share filter all read.

Derived from the one record-format table (:mod:`generator.format.table`); nothing is named here.
"""

from __future__ import annotations

from .table import COMMON, KIND_FIELD_TABLE, walk
from .values import KIND_NAMES

COMMON_FIELDS: tuple[str, ...] = tuple(f.name for f in COMMON)
KIND_FIELDS: dict[str, tuple[str, ...]] = {kind: tuple(f.name for f in fields) for kind, fields in KIND_FIELD_TABLE.items()}
#: Sub-fields of the action's lists and mappings, by field (the validator checks their names),
#: nested ones too (``closure.recheck``): a nested list or mapping's name is unique.
SUBFIELDS: dict[str, tuple[str, ...]] = {
    f.name: tuple(sub.name for sub in f.fields) for _, f in walk(KIND_FIELD_TABLE["action"]) if f.type in ("list", "mapping")
}

__all__ = ["COMMON_FIELDS", "KIND_FIELDS", "KIND_NAMES", "SUBFIELDS"]
