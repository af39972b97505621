//! Where attachments live (S2 materials, later exam papers and evidence): one `object_store`
//! interface, chosen by the `files_url` setting.
//!
//! - unset: the `files` directory under the data directory (default, one-machine deployments);
//! - `file:///absolute/path`: another local (or mounted) directory;
//! - `s3://bucket` or `s3://bucket/prefix`: an S3-compatible service (AWS, MinIO, Ceph, 华为云 OBS, …)
//!   with the standard `AWS_*` environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//!   `AWS_REGION`, `AWS_ENDPOINT` (for a non-AWS service) and `AWS_ALLOW_HTTP=true` (only for a
//!   service on a private network without TLS). Needs the `s3` feature (on by default in the binary).
//!
//! A probe object is written, read back and removed at start, so a wrong bucket or key stops the
//! server with a clear message instead of failing the first upload.

use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use std::path::Path;
use std::sync::Arc;

/// Why the configured file store cannot be used (the message names the setting and the cause).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct FilesError(String);

/// Open the file store `url` names (see the module documentation); `data_dir` holds the default.
/// S3 settings come from the process's `AWS_*` environment.
pub fn open(url: Option<&str>, data_dir: &Path) -> Result<Arc<dyn ObjectStore>, FilesError> {
    let aws: Vec<(String, String)> = std::env::vars().filter(|(k, _)| k.starts_with("AWS_")).collect();
    open_with(url, data_dir, &aws)
}

/// [`open`] with the S3 settings given as `(AWS_* name, value)` pairs instead of read from the
/// environment (tests, and deployments that keep them in the configuration file).
pub fn open_with(
    url: Option<&str>,
    data_dir: &Path,
    aws: &[(String, String)],
) -> Result<Arc<dyn ObjectStore>, FilesError> {
    let url = url.map(str::trim).filter(|u| !u.is_empty());
    let Some(url) = url else {
        return local(&data_dir.join("files"));
    };
    if let Some(path) = url.strip_prefix("file://") {
        if !path.starts_with('/') {
            return Err(FilesError(format!("files_url “{url}” 应为绝对路径，如 file:///srv/kaohe/files")));
        }
        return local(Path::new(path));
    }
    if url.starts_with("s3://") {
        return s3(url, aws);
    }
    Err(FilesError(format!("files_url “{url}” 无法识别：应为 file:///绝对路径 或 s3://存储桶/前缀")))
}

fn local(dir: &Path) -> Result<Arc<dyn ObjectStore>, FilesError> {
    std::fs::create_dir_all(dir).map_err(|e| FilesError(format!("无法创建附件目录 {}：{e}", dir.display())))?;
    let fs = object_store::local::LocalFileSystem::new_with_prefix(dir)
        .map_err(|e| FilesError(format!("附件目录 {} 不可用：{e}", dir.display())))?;
    Ok(Arc::new(fs))
}

#[cfg(feature = "s3")]
fn s3(url: &str, aws: &[(String, String)]) -> Result<Arc<dyn ObjectStore>, FilesError> {
    use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
    // TLS through rustls with the ring provider (already in the dependency tree): no C build.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rest = url.trim_start_matches("s3://");
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return Err(FilesError(format!("files_url “{url}” 缺少存储桶名称，如 s3://kaohe-files")));
    }
    let mut builder = AmazonS3Builder::new();
    for (name, value) in aws {
        // As `AmazonS3Builder::from_env`: every recognised AWS_* setting, the rest ignored.
        if let Ok(key) = name.to_ascii_lowercase().parse::<AmazonS3ConfigKey>() {
            builder = builder.with_config(key, value);
        }
    }
    let s3 = builder
        .with_bucket_name(bucket)
        .build()
        .map_err(|e| FilesError(format!("S3 存储配置有误（files_url 与 AWS_* 环境变量）：{e}")))?;
    let prefix = prefix.trim_matches('/');
    if prefix.is_empty() { Ok(Arc::new(s3)) } else { Ok(Arc::new(object_store::prefix::PrefixStore::new(s3, prefix))) }
}

#[cfg(not(feature = "s3"))]
fn s3(url: &str, _aws: &[(String, String)]) -> Result<Arc<dyn ObjectStore>, FilesError> {
    Err(FilesError(format!("files_url “{url}”：此版本未包含 S3 支持，请使用默认构建（含 s3 特性）")))
}

/// Write, read back and remove a probe object: the store is reachable and writable.
pub async fn probe(files: &dyn ObjectStore) -> Result<(), FilesError> {
    let key = ObjectPath::from(format!("_probe/{}", uuid::Uuid::new_v4()));
    let body = b"kaohe file store probe".to_vec();
    files.put(&key, body.clone().into()).await.map_err(|e| FilesError(format!("附件存储不可写：{e}")))?;
    let read = files
        .get(&key)
        .await
        .map_err(|e| FilesError(format!("附件存储不可读：{e}")))?
        .bytes()
        .await
        .map_err(|e| FilesError(format!("附件存储不可读：{e}")))?;
    files.delete(&key).await.map_err(|e| FilesError(format!("附件存储不能删除文件：{e}")))?;
    if read.as_ref() != body.as_slice() {
        return Err(FilesError("附件存储读回的内容与写入的不一致".into()));
    }
    Ok(())
}
