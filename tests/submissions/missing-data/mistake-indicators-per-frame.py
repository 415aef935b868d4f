# Chooses the indicator columns separately for train and test, so a model fitted on one
# cannot take the other. Loses the indicator test (2 points).
# expect: 13
# base: reference
# %% cell: indicators
def _flag(frame):
    out = frame.copy()
    for column in frame.columns:
        if frame[column].isna().any():
            out[f"{column}_missing"] = frame[column].isna().astype(int)
    return out

def add_missing_indicators(train, test):
    return _flag(train), _flag(test)
