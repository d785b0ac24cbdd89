"""One row per segmentation and k: quality and stability (logic in credit_segments.quality)."""

from credit_segments.quality import QualitySettings, build_quality


def model(dbt, session):
    dbt.config(materialized="table")
    settings = QualitySettings(
        k_min=int(dbt.config.get("quality_k_min")),
        k_max=int(dbt.config.get("quality_k_max")),
        k_in_use=int(dbt.config.get("segment_count")),
        features_in_use=str(dbt.config.get("segmentation_features")),
        silhouette_sample_size=int(dbt.config.get("silhouette_sample_size")),
        bootstrap_count=int(dbt.config.get("stability_bootstrap_count")),
        random_seed=int(dbt.config.get("quality_random_seed")),
        factor_n_init=int(dbt.config.get("factor_kmeans_n_init")),
    )
    return build_quality(
        dbt.ref("int_credit_scores__histogram"), dbt.ref("int_customers__scored"), settings
    )
