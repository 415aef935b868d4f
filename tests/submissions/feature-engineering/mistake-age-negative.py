# Subtracts the wrong way round: build year minus sale year, so every age is negative.
# Loses the date test (2 points).
# expect: 10
# base: reference
# %% cell: dates
def date_features(df):
    angle = 2 * np.pi * df["Mo_Sold"] / 12
    return pd.DataFrame(
        {
            "age_at_sale": df["Year_Built"] - df["Year_Sold"],
            "years_since_remodel": df["Year_Remod_Add"] - df["Year_Sold"],
            "month_sin": np.sin(angle),
            "month_cos": np.cos(angle),
        },
        index=df.index,
    ).astype(float)
