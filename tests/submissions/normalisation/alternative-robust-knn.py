# Another sound modelling choice: k-nearest neighbours after robust scaling, and the
# scalers written with np.where and keepdims. Full or near-full marks.
# expect: 13.5-14
# base: reference
# %% cell: standardize
def standardize(train, test):
    mean = train.mean(axis=0, keepdims=True)
    std = train.std(axis=0, ddof=0, keepdims=True)
    std[std == 0] = 1
    return (train - mean) / std, (test - mean) / std
# %% cell: pipeline
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import RobustScaler

def build_pipeline():
    return make_pipeline(RobustScaler(), KNeighborsClassifier(n_neighbors=7))
