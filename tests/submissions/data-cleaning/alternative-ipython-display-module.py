# The reference solution, plus a look at the labels it produces, shown with IPython's display
# module imported as `from IPython import display` (a form IPython's own documentation uses)
# and called as display.display(...). It shows a table and changes nothing. Full marks.
# expect: 13
# base: reference
# %% cell: sex
from IPython import display


def canonical_sex(values: pd.Series) -> pd.Series:
    spellings = {"male": "Male", "m": "Male", "mlae": "Male",
                 "female": "Female", "f": "Female", "femal": "Female", "femlae": "Female"}
    return values.map(lambda v: spellings.get(v.strip().lower(), np.nan) if isinstance(v, str) else np.nan)


display.display(canonical_sex(heights["sex"]).value_counts(dropna=False))
