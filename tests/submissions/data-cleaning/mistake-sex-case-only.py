# Normalises case and spaces only: F, M and the misspellings stay as they are, and a label that
# is neither is capitalised instead of becoming NaN. Loses the labels test (2 points), the clean
# table's values (1 point), and copies of an entry spelt M or Femal are no longer recognised
# as duplicates (2 points).
# expect: 8
# base: reference
# %% cell: sex
def canonical_sex(values):
    return values.str.strip().str.capitalize()
