// The kubectl-only scenarios of the omkar-shelke25/ckad-killercoda collection that a real cluster
// without internet would not pass unattended, each with why: it downloads something, needs an
// edit only a learner makes, or its own check contradicts its text or solution. Found by reading
// each scenario; the justification names what decides. Scenarios of other collections are all
// counted as passable until read.

const download = (why) => ({ reason: 'needs a download', why });
const manualEdit = (why) => ({ reason: 'needs a manual edit', why });
const ownBug = (why) => ({ reason: "the scenario's own bug", why });

export const setApart = {
  'API-Deprecation-Plugin': download('the solution fetches kubectl-convert from dl.k8s.io, and the check fails until that plugin is installed'),
  'Ingress-with-Default-Backend': download('set-up applies ingress-nginx from raw.githubusercontent.com; the check needs that controller\'s NodePort'),
  'configure-ingress-node-app-terminal': download('set-up applies ingress-nginx and MetalLB from raw.githubusercontent.com; the check curls through them'),
  'ingress-routing-ex-svc': download('set-up applies ingress-nginx from raw.githubusercontent.com; the check waits for the ingress-nginx namespace'),
  'tls-ingress': download('set-up applies ingress-nginx and MetalLB from raw.githubusercontent.com and stops when they are not there'),
  'Secrets-env-volume': manualEdit('step 4 of the solution is "Edit /opt/course/14/secret-handler-new.yaml" (add env and a volume) before applying it'),
  'delta-ray-cj': manualEdit('the history limits and deadline are added with `kubectl edit cronjob delta-ray` ("# Add: successfulJobsHistoryLimit: 33 …")'),
  'fix-deprecated-deployment': manualEdit('"# Edit the file to use the correct API version" before `kubectl apply -f /opt/course/api-fix/legacy-app.yaml`'),
  'pod-migration': manualEdit('the exported YAML is applied unchanged: its namespace (mars) and container name (mars-container) are left for the reader to edit'),
  'Cross-namespace-Binding': ownBug('verify.sh itself creates the ServiceAccount, Role and RoleBinding (kubectl apply in lines 31-72), so it passes before any work'),
  'ConfigMap-Secret': ownBug('`kubectl run app-pod … --command -- sh -c "…" --dry-run=client -o yaml` puts the flags after `--`: kubectl creates the pod, and applying the YAML then fails (pod spec is immutable)'),
  'LimitRange-Enforcement': ownBug('the task says to create namespace team-a but the solution never does, so every apply fails with namespaces "team-a" not found'),
  'Secrets-Management': ownBug('the solution\'s `kubectl create secret` line misses the `\\` before `-n banking` (the Secret lands in default), and it takes DB_HOST from the Secret while the check wants the plain value sql-service'),
};
