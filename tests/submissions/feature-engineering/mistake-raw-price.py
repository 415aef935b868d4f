# Models the raw, skewed price: errors on expensive houses dominate the fit and cheap houses are
# mispriced in relative terms. Loses part of the pipeline test (a small part on the hidden-test
# rows, which hold none of the few huge sales that make raw-price models fail badly).
# expect: 11.5-11.95
# base: reference
# %% cell: pipeline
def add_date_features(df):
    return pd.concat([df, date_features(df)], axis=1)


def build_pipeline():
    columns = make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), make_column_selector(dtype_include="number")),
        (OneHotEncoder(handle_unknown="ignore"), make_column_selector(dtype_exclude="number")),
    )
    return make_pipeline(FunctionTransformer(add_date_features), columns, Ridge(alpha=10.0))
