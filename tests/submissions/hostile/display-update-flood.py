# Output that did not pass through the output cap on the old main: 300 small outputs share one
# display id, then update_display rewrites all of them with 100 kB each (30 MB in the graded
# notebook), and a comm that looks like a widget carries 16 MB of state (kept in the grader's
# memory and, with widget state stored, in the notebook). Updates now count once per output
# they rewrite, and grading keeps no comm or widget state: the graded notebook stays under
# the cap.
# expect: 0
# base: blank
# %% cell: profile
from IPython.display import display, update_display

for _ in range(300):
    display("small", display_id="shared")
update_display("y" * 100_000, display_id="shared")

try:
    from ipykernel.comm import Comm

    Comm(target_name="jupyter.widget", data={"state": {"value": "z" * 16_000_000}, "buffer_paths": []})
except Exception as exc:  # noqa: BLE001
    print("no comm:", type(exc).__name__)
