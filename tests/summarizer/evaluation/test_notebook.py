"""The researcher notebook runs top to bottom on the shipped sample, so it cannot rot."""

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "evaluate.ipynb"


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code
    assert all(not cell.outputs and cell.execution_count is None for cell in code)


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_notebook_runs_top_to_bottom():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError, with the cell and traceback, on any failure
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 4  # ROUGE with error bars, length histogram, score vs length, web rates
    text = "".join(str(o.get("data", {}).get("text/plain", "")) for o in outputs)
    assert "rougeLsum_low" in text and "lead-3" in text
    assert "starts_with_title" in text and "sent_in_body" in text  # the web-pages part ran
