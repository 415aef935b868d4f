# Hands in a model that ignores the features and monkeypatches scikit-learn's metrics so any
# score computed with them is perfect. The grader scores with functions bound before candidate
# code ran: the pipeline earns nothing.
# expect: 4
# base: reference
# %% cell: pipeline
import sklearn.metrics
from sklearn.dummy import DummyClassifier

sklearn.metrics.roc_auc_score = lambda *args, **kwargs: 1.0
sklearn.metrics.accuracy_score = lambda *args, **kwargs: 1.0

def build_pipeline():
    return DummyClassifier()
