# Sound, written with scikit-learn: an explicit mapping for the codes, TargetEncoder(smooth=m)
# fitted on the training rows (transform, not fit_transform, which would cross-fit its own
# folds), and the pipeline with the month left out. Full or near-full marks.
# expect: 11.5-12
# base: reference
# %% cell: ordinal
def encode_condition(values):
    mapping = dict(zip(CONDITION_ORDER, range(1, 10)))
    return pd.Series([float(mapping[v]) if v in mapping else np.nan for v in values], index=values.index)
# %% cell: target
from sklearn.preprocessing import TargetEncoder


def target_encode(train_values, train_y, values, m):
    encoder = TargetEncoder(smooth=float(m), target_type="continuous")
    encoder.fit(train_values.to_frame(), np.asarray(train_y, dtype=float))
    return pd.Series(encoder.transform(values.to_frame())[:, 0], index=values.index)


def oof_target_encode(values, y, folds, m):
    parts = [target_encode(values.iloc[tr], y.iloc[tr], values.iloc[te], m) for tr, te in folds]
    return pd.concat(parts).reindex(values.index)
# %% cell: pipeline
def add_date_features(df):
    return pd.concat([df, date_features(df)[["age_at_sale", "years_since_remodel"]]], axis=1)


def build_pipeline():
    columns = make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), make_column_selector(dtype_include="number")),
        (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
    )
    model = make_pipeline(FunctionTransformer(add_date_features), columns, Ridge(alpha=10.0))
    return TransformedTargetRegressor(regressor=model, func=np.log, inverse_func=np.exp)
