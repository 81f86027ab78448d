// The run manifest's door: version, git commit, the configuration's hash (secrets redacted), flags,
// data dir and protocol versions, built once at start (buildManifest). The API serves it
// (/api/manifest), the console shows it, and every incident report carries it.
export { buildManifest, manifestLine, readGitCommit, redactSecrets, configFileHash, canonical, REDACTED, REPO_ROOT, type ManifestInput } from './manifest';
