"""``CheckCellMetadata``: nbgrader's check of every cell's nbgrader metadata, with nbgrader's
schema checked once per process instead of once per cell.

nbgrader validates each cell with ``jsonschema.validate(metadata, schema)``, which checks the
schema itself against JSON Schema's meta-schema before it checks the cell: for a notebook of
25 cells that is 25 checks of the same schema, about 0.04 s of CPU a notebook, twice a
notebook (autograde runs the check after sanitising and after grading). Here jsonschema's
validator for nbgrader's schema is built and its schema checked once per process; each cell is
then checked the way ``jsonschema.validate`` checks it (the best-matching error is raised), with
nbgrader's own version checks and its cell rules (``MetadataValidator``) unchanged.
"""

from __future__ import annotations

import traceback

import jsonschema
from jsonschema.exceptions import best_match
from nbgrader.nbgraderformat import MetadataValidator, SchemaTooNewError, SchemaTooOldError, ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator
from nbgrader.preprocessors import CheckCellMetadata as NbgraderCheckCellMetadata

_VALIDATORS: dict[int, jsonschema.protocols.Validator] = {}  # nbgrader schema version -> validator


def _validator(version: int, schema: dict) -> jsonschema.protocols.Validator:
    """jsonschema's validator for nbgrader's schema of ``version``, its schema checked once."""
    if version not in _VALIDATORS:
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        _VALIDATORS[version] = cls(schema)
    return _VALIDATORS[version]


class _SchemaCheckedOnce(BaseMetadataValidator):
    """nbgrader's ``BaseMetadataValidator.validate_cell`` with a validator built once: the
    same version checks and messages, then the cell against the schema."""

    def validate_cell(self, cell) -> None:
        if "nbgrader" not in cell.metadata:
            return
        meta = cell.metadata["nbgrader"]
        schema = meta.get("schema_version", 0)
        if schema < self.schema_version:
            raise SchemaTooOldError(
                f"Outdated schema version: {schema} (expected {self.schema_version})",
                schema, self.schema_version)
        if schema > self.schema_version:
            raise SchemaTooNewError(
                f"Schema version is too new: {schema} (expected {self.schema_version})",
                schema, self.schema_version)
        error = best_match(_validator(self.schema_version, self.schema).iter_errors(meta))
        if error is not None:
            raise error


class _Validator(MetadataValidator, _SchemaCheckedOnce):
    """nbgrader's MetadataValidator (its cell rules run after the schema check, through
    ``super()``), whose schema check is :class:`_SchemaCheckedOnce`'s."""


class CheckCellMetadata(NbgraderCheckCellMetadata):
    """nbgrader's CheckCellMetadata, with :class:`_Validator` (same checks, same errors)."""

    def preprocess(self, nb, resources):
        try:
            _Validator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg) from None
        return nb, resources
