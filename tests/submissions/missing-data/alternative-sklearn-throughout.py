# A sound solution written with scikit-learn's transformers instead of pandas, and a
# gradient-boosted model that handles missing values natively. Full marks.
# expect: 14.5-15
# base: reference
# %% cell: profile
def missingness_profile(df: pd.DataFrame) -> pd.DataFrame:
    mask = df.isnull().to_numpy()
    counts = mask.sum(axis=0)
    return pd.DataFrame({"n_missing": counts, "pct_missing": counts / mask.shape[0] * 100},
                        index=list(df.columns))
# %% cell: impute
from sklearn.impute import SimpleImputer

def impute(train, test):
    train_out, test_out = train.copy(), test.copy()
    numeric = train.select_dtypes("number").columns
    other = [c for c in train.columns if c not in numeric]
    if len(numeric):
        imp = SimpleImputer(strategy="median").fit(train[numeric])
        train_out[numeric] = imp.transform(train[numeric])
        test_out[numeric] = imp.transform(test[numeric])
    if other:
        imp = SimpleImputer(strategy="most_frequent").fit(train[other].astype(object))
        train_out[other] = imp.transform(train[other].astype(object))
        test_out[other] = imp.transform(test[other].astype(object))
    return train_out, test_out
# %% cell: indicators
from sklearn.impute import MissingIndicator

def add_missing_indicators(train, test):
    indicator = MissingIndicator(features="missing-only", error_on_new=False).fit(train)
    names = [f"{train.columns[i]}_missing" for i in indicator.features_]
    train_flags = pd.DataFrame(indicator.transform(train).astype(int), columns=names, index=train.index)
    test_flags = pd.DataFrame(indicator.transform(test).astype(int), columns=names, index=test.index)
    return pd.concat([train, train_flags], axis=1), pd.concat([test, test_flags], axis=1)
# %% cell: pipeline
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OrdinalEncoder

def build_pipeline():
    encode = ColumnTransformer([
        ("numeric", "passthrough", make_column_selector(dtype_include="number")),
        ("categorical", OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1,
                                       encoded_missing_value=-1),
         make_column_selector(dtype_exclude="number")),
    ])
    return make_pipeline(encode, HistGradientBoostingClassifier(max_iter=150, learning_rate=0.05, random_state=0))
