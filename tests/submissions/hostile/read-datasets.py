# Looks for the course's full datasets folder (the one with every label).
# expect: 0
# base: blank
# %% cell: profile
import glob
for path in glob.glob("../../../datasets/*.csv") + glob.glob("/**/datasets/credit_data.csv", recursive=True):
    if "/opt/mlchallenge/" not in path:
        print("LEAK: full dataset", path)
