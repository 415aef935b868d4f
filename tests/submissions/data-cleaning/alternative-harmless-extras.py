# The reference solution with the extras of an everyday notebook: %%time on the clean cell, a
# pandas display option, a warning filter, and IPython.display's display() to show the label
# counts. None of it changes a result. Full marks.
# expect: 13
# base: reference
# %% cell: sex
import warnings

from IPython.display import display

warnings.filterwarnings("ignore", category=FutureWarning)
pd.set_option("display.max_rows", 30)


def canonical_sex(values: pd.Series) -> pd.Series:
    spellings = {"male": "Male", "m": "Male", "mlae": "Male",
                 "female": "Female", "f": "Female", "femal": "Female", "femlae": "Female"}
    return values.map(lambda v: spellings.get(v.strip().lower(), np.nan) if isinstance(v, str) else np.nan)


display(canonical_sex(heights["sex"]).value_counts(dropna=False))
# %% cell: clean
%%time
def clean(raw: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame({
        "time_stamp": parse_time(raw["time_stamp"]),
        "sex": canonical_sex(raw["sex"]),
        "height_in": parse_height(raw["height"]),
    }, index=raw.index)
    return out[~out.duplicated(keep="first")]
