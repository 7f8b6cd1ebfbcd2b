"""The one settings object (env prefix ``FACESORT_``), built at start-up and passed down."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_MARKERS = {"", "changeme", "change-me", "secret", "dev"}
# MinIO's and its docs' well-known credentials: a store behind them is anyone's.
DEFAULT_S3_SECRETS = DEFAULT_SECRET_MARKERS | {"minioadmin", "minio123", "password"}


class Settings(BaseSettings):
    """Every knob of facesort. With no settings at all everything lives under ``./facesort-data``."""

    model_config = SettingsConfigDict(env_prefix="FACESORT_", extra="ignore")

    data_dir: Path = Field(default=Path("facesort-data"), description="Folder for the embedded mode's files.")
    database_url: str = Field(default="", description="SQLAlchemy URL; empty means SQLite in the data folder.")
    qdrant_url: str = Field(default="", description="Qdrant server URL; empty means the embedded Qdrant Edge shard.")
    qdrant_api_key: str = Field(default="", description="API key for the Qdrant server, if it needs one.")
    qdrant_path: Path | None = Field(default=None, description="Folder of the embedded vector shard.")
    blob_url: str = Field(default="", description="file:///path or s3://bucket; empty means <data_dir>/blobs.")
    s3_endpoint: str = Field(default="", description="host:port of the S3/MinIO endpoint.")
    s3_access_key: str = Field(default="", description="S3/MinIO access key.")
    s3_secret_key: str = Field(default="", description="S3/MinIO secret key.")
    s3_region: str = Field(default="", description="S3 region, if the store needs one.")
    s3_secure: bool = Field(default=True, description="Use HTTPS to reach the S3 endpoint.")
    redis_url: str = Field(default="", description="Redis URL for Dramatiq; empty means in-process jobs.")
    secret_key: str = Field(default="", description="Signs sessions; generated in the embedded mode.")
    environment: Literal["development", "production"] = Field(
        default="development", description="production refuses default secrets and the implicit local owner."
    )
    public_https: bool = Field(default=False, description="Set when served behind HTTPS: cookies get Secure.")

    max_upload_bytes: int = Field(default=100 * 1024 * 1024, description="Largest accepted file.")
    max_image_pixels: int = Field(default=100_000_000, description="Largest accepted decoded image (bomb guard).")
    max_files_per_request: int = Field(default=1000, description="Most files accepted in one upload request.")

    detect_max_side: int = Field(default=1600, description="Longest side of the copy the detector sees.")
    min_face_px: int = Field(default=40, description="Faces smaller than this (box side, original px) are dropped.")
    min_face_confidence: float = Field(default=0.9, description="Detector probability floor.")
    embedder: Literal["arcface", "dlib", "facenet"] = Field(
        default="arcface",
        description="Face embedding model: arcface (InsightFace's weights: non-commercial research use), dlib "
        "(public domain weights), facenet (weights from FACESORT_FACENET_WEIGHTS).",
    )
    facenet_weights: Path | None = Field(default=None, description="State dict of InceptionResnetV1 (vggface2).")
    torch_threads: int = Field(
        default=2, description="Threads torch uses per worker process (shared out among its analysis processes)."
    )

    stale_after_seconds: int = Field(default=600, description="Unfinished photos older than this are re-enqueued.")
    recluster_debounce_seconds: float = Field(
        default=5.0, description="Quiet time after new faces before the people are reclustered."
    )
    worker_threads: int = Field(default=2, description="Job threads of the embedded in-process worker.")
    analysis_processes: int = Field(
        default=2,
        ge=0,
        description="Child processes of the embedded worker that run the face models (0: its own threads).",
    )

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if self.environment == "production" and self.secret_key.strip().lower() in DEFAULT_SECRET_MARKERS:
            raise ValueError("FACESORT_SECRET_KEY must be set to a random value outside development")
        s3_default = self.s3_secret_key.strip().lower() in DEFAULT_S3_SECRETS
        if self.environment == "production" and self.s3_endpoint and s3_default:
            raise ValueError("FACESORT_S3_SECRET_KEY must be set to the store's own secret, not a default one")
        return self

    @property
    def embedded(self) -> bool:
        """True when no external service is configured (one process owns every file)."""
        return not (self.redis_url or self.qdrant_url)

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'facesort.db').resolve()}"

    def resolved_blob_url(self) -> str:
        if self.blob_url:
            return self.blob_url
        return f"file://{(self.data_dir / 'blobs').resolve()}"

    def resolved_qdrant_path(self) -> Path:
        return self.qdrant_path or (self.data_dir / "vectors")

    def resolved_secret_key(self) -> str:
        """The configured secret, or one generated once and kept in the data folder."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key
