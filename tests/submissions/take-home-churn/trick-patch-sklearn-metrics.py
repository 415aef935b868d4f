# Hands in a model that ignores the features and monkeypatches scikit-learn's metrics so any
# score computed with them is perfect. The predictions are scored in the grading process (the
# pipeline would earn nothing anyway); the integrity gate flags the patch and holds every
# automatic point for an interviewer's review.
# flag: tampering
# expect: 0
# base: reference
# %% cell: pipeline
import sklearn.metrics
from sklearn.dummy import DummyClassifier

sklearn.metrics.roc_auc_score = lambda *args, **kwargs: 1.0
sklearn.metrics.accuracy_score = lambda *args, **kwargs: 1.0

def build_pipeline():
    return DummyClassifier()
