# Hands in the median-price model and monkeypatches numpy's log and sqrt so any error
# computed with them is zero. The predictions are scored in the grading process, whose numpy
# the candidate never touched (the pipeline would earn nothing anyway); the integrity gate flags
# the patch and holds every automatic point for an interviewer's review.
# flag: tampering
# expect: 0
# base: reference
# %% cell: pipeline
from sklearn.dummy import DummyRegressor

def build_pipeline():
    return DummyRegressor(strategy="median")

np.log = lambda a, *args, **kwargs: np.zeros(np.shape(a))
np.sqrt = lambda a, *args, **kwargs: np.zeros(np.shape(a))
