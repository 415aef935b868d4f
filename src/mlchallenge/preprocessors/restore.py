"""``RestoreCells``: nbgrader's OverwriteCells, restoring deleted or moved test cells in place.
"""

from __future__ import annotations

from nbgrader.preprocessors import OverwriteCells

from mlchallenge.core import cells as nbcells
from mlchallenge.core.text_table import printable


class RestoreCells(OverwriteCells):
    """nbgrader's OverwriteCells, with deleted test cells put back in place even when the cell
    before them in the source is a read-only one, and re-labelled or duplicated test cells
    tolerated (nbgrader 0.9.6 fails with a KeyError in both cases, and the whole submission
    goes ungraded)."""

    def preprocess(self, nb, resources):
        # a pasted second copy of a cell is dropped: the first one is the candidate's
        seen: set[str] = set()
        kept = []
        for cell in nb.cells:
            grade_id = nbcells.grade_id(cell)
            if grade_id is not None and grade_id in seen:
                self.log.warning("Dropping a second copy of cell %s", printable(grade_id))
                continue
            if grade_id is not None:
                seen.add(grade_id)
            kept.append(cell)
        nb.cells = kept
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        # nbgrader removes the grade id of a cell the gradebook does not know but keeps the rest
        # of its nbgrader metadata, which then fails validation: make it a plain cell (the real
        # test cell is put back by add_missing_cells)
        meta = cell.metadata.get("nbgrader")
        if meta is not None and "grade_id" not in meta:
            del cell.metadata["nbgrader"]
        return cell, resources

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_ids = [cell.name for cell in source_nb.source_cells]
        grade_cells = {cell.name: cell for cell in source_nb.grade_cells}
        solution_ids = {cell.name for cell in source_nb.solution_cells}
        for grade_id in source_ids:
            present = [nbcells.grade_id(c) for c in nb.cells]
            if grade_id not in grade_cells or grade_id in present:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", printable(grade_id))
            position = source_ids.index(grade_id)
            cell = self.missing_cell_transform(
                source_nb.source_cells[position], grade_cells[grade_id].max_score,
                is_solution=grade_id in solution_ids)
            insert_at = 0
            for earlier in reversed(source_ids[:position]):
                if earlier in present:
                    insert_at = present.index(earlier) + 1
                    break
            nb.cells.insert(insert_at, cell)
        return nb, resources

    def add_missing_task_cells(self, nb, resources):
        # nbgrader drops the grade id of a cell it does not know (a re-labelled or pasted test
        # cell) but keeps its nbgrader metadata, then reads that id here: a KeyError, and the
        # submission went ungraded
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_ids = [cell.name for cell in source_nb.source_cells]
        present = {nbcells.grade_id(c) for c in nb.cells}
        for task in source_nb.task_cells:
            if task.name not in present:
                nb.cells.append(self.missing_cell_transform(
                    source_nb.source_cells[source_ids.index(task.name)], task.max_score,
                    is_task=True))
        return nb, resources

