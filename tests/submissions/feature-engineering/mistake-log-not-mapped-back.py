# Fits on log prices but never maps the predictions back (the inverse is the identity):
# the "prices" are about 12. Loses the dollars test and the pipeline test (4 points).
# expect: 8
# base: reference
# %% cell: pipeline
def add_date_features(df):
    return pd.concat([df, date_features(df)], axis=1)


def build_pipeline():
    columns = make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), make_column_selector(dtype_include="number")),
        (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
    )
    model = make_pipeline(FunctionTransformer(add_date_features), columns, Ridge(alpha=10.0))
    return TransformedTargetRegressor(regressor=model, func=np.log, inverse_func=lambda z: z, check_inverse=False)
