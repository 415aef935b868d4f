# Sound, written another way: an ordered pandas Categorical for the codes, a merge-free
# dictionary for the encoding, numpy position arrays for the folds, DataFrame.assign for the
# dates, and log1p / expm1 with a different penalty in the pipeline. Full or near-full marks.
# expect: 11.5-12
# base: reference
# %% cell: ordinal
def encode_condition(values):
    codes = pd.Categorical(values, categories=CONDITION_ORDER, ordered=True).codes.astype(float) + 1
    codes[codes == 0] = np.nan
    return pd.Series(codes, index=values.index)
# %% cell: target
def target_encode(train_values, train_y, values, m):
    ys = np.asarray(train_y, dtype=float)
    cats = np.asarray(train_values)
    overall = ys.mean()
    table = {}
    for c in set(cats.tolist()):
        picked = ys[cats == c]
        table[c] = (picked.sum() + m * overall) / (len(picked) + m)
    return pd.Series([table.get(v, overall) for v in values], index=values.index, dtype=float)


def oof_target_encode(values, y, folds, m):
    result = np.empty(len(values))
    for train_idx, test_idx in folds:
        result[test_idx] = target_encode(values.iloc[train_idx], y.iloc[train_idx], values.iloc[test_idx], m).to_numpy()
    return pd.Series(result, index=values.index)
# %% cell: dates
def date_features(df):
    month = df["Mo_Sold"].to_numpy(dtype=float)
    return pd.DataFrame(index=df.index).assign(
        age_at_sale=(df["Year_Sold"] - df["Year_Built"]).astype(float),
        years_since_remodel=(df["Year_Sold"] - df["Year_Remod_Add"]).astype(float),
        month_sin=np.sin(month * np.pi / 6),
        month_cos=np.cos(month * np.pi / 6),
    )
# %% cell: pipeline
def add_date_features(df):
    return df.join(date_features(df))


def build_pipeline():
    columns = make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), make_column_selector(dtype_include="number")),
        (make_pipeline(SimpleImputer(strategy="constant", fill_value="missing"), OneHotEncoder(handle_unknown="ignore", min_frequency=3)), make_column_selector(dtype_exclude="number")),
    )
    return TransformedTargetRegressor(
        regressor=make_pipeline(FunctionTransformer(add_date_features), columns, Ridge(alpha=6.0)),
        func=np.log1p,
        inverse_func=np.expm1,
    )
