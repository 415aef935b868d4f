# A profile that returns an object reading the test's expected values from its caller's frames
# (where a kernel-side test kept them) and posing as them. Nothing expected lives in the kernel
# now, the result is rebuilt as plain data in the grading process, and the gate holds the notebook.
# flag: tampering
# expect: 0
# base: reference
# %% cell: profile
import inspect

class _Mirror(dict):
    def __eq__(self, other):
        for frame in inspect.stack():
            for value in frame.frame.f_locals.values():
                if isinstance(value, pd.DataFrame) and "n_missing" in value.columns:
                    print("LEAK: expected values read from a frame")
                    return True
        return True

def missingness_profile(df):
    return _Mirror(n_missing=0, pct_missing=0)
