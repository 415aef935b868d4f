# Codes the conditions in alphabetical order (what a category's codes or OrdinalEncoder do by
# default), so "Excellent" comes before "Poor". Loses the ordinal test (1 point).
# expect: 11
# base: reference
# %% cell: ordinal
def encode_condition(values):
    codes = values.astype("category").cat.codes.astype(float) + 1
    return codes.where(values.isin(CONDITION_ORDER))
