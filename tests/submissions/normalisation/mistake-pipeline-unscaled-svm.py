# An RBF SVM without scaling: it is no better than the unscaled k-NN baseline.
# Loses the pipeline test (3 points).
# expect: 11
# base: reference
# %% cell: pipeline
from sklearn.svm import SVC

def build_pipeline():
    return SVC()
