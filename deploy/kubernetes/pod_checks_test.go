package kubernetes

import (
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/menusync/menusync/internal/app"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// What one stream may cost in memory at worst (BENCHMARKS.md: 17-33 KiB
// per idle stream), and what a replica needs besides its streams.
const (
	streamBytes = 33 << 10
	baseBytes   = 64 << 20
)

// drainSlack is how long past MENUSYNC_DRAIN_WINDOW the server waits for
// its streams before it starts the MENUSYNC_DRAIN_TIMEOUT (internal/app
// serve.go: the window's timer is DrainWindow + time.Second).
const drainSlack = time.Second

// deployment returns the one Deployment and its one container.
func deployment(o *objects, p *problems) (*appsv1.Deployment, *corev1.Container) {
	if len(o.Deployments) != 1 {
		p.add("want one Deployment, have %d", len(o.Deployments))
		return nil, nil
	}
	d := o.Deployments[0]
	if n := len(d.Spec.Template.Spec.Containers); n != 1 {
		p.add("Deployment %s: want one container, have %d", d.Name, n)
		return d, nil
	}
	return d, &d.Spec.Template.Spec.Containers[0]
}

// checkEnv: every variable is one of the server's settings (or the Go
// runtime's), secrets come from Secrets, and the server's parser accepts
// the result. It returns the configuration the container would run with.
func checkEnv(s *server, c *corev1.Container, p *problems) (app.Config, bool) {
	if len(c.EnvFrom) > 0 {
		p.add("envFrom hides which settings are set from these checks: list env one by one")
	}
	seen := map[string]bool{}
	for _, e := range c.Env {
		st, isSetting := s.settings[e.Name]
		switch {
		case seen[e.Name]:
			p.add("env %s is set twice", e.Name)
		case !isSetting && !runtimeEnv[e.Name]:
			p.add("env %s is not a setting of the server (internal/app/settings.go) nor a Go runtime variable", e.Name)
		case (st.Secret || e.Name == "REDIS_URL") && (e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil):
			p.add("env %s must come from a Secret (secretKeyRef), not a literal in the manifest", e.Name)
		}
		seen[e.Name] = true
	}
	for _, need := range []string{"REDIS_URL", "MENUSYNC_SECRET", "MENUSYNC_TRUSTED_PROXIES", "MENUSYNC_MAX_STREAM_AGE", "MENUSYNC_LOG_FORMAT"} {
		if !seen[need] {
			p.add("env %s is not set: replicas on Kubernetes need it (README \"On Kubernetes\")", need)
		}
	}
	cfg, err := s.config(c.Env)
	if err != nil {
		p.add("the server would refuse this env: %v", err)
		return cfg, false
	}
	if cfg.HTTP.MaxStreamAge <= 0 {
		p.add("MENUSYNC_MAX_STREAM_AGE is 0: streams never rebalance onto pods added by a scale-out")
	}
	if cfg.LogFormat != "json" {
		p.add("MENUSYNC_LOG_FORMAT is %q, want json for the cluster's log collector", cfg.LogFormat)
	}
	if !slices.ContainsFunc(cfg.HTTP.Limits.TrustedProxies, func(pfx netip.Prefix) bool { return !pfx.Addr().IsLoopback() }) {
		p.add("MENUSYNC_TRUSTED_PROXIES is %q: the ingress controller's X-Forwarded-For would be ignored and every client counted as the controller's pod",
			envValue(c, "MENUSYNC_TRUSTED_PROXIES"))
	}
	for _, pfx := range cfg.HTTP.Limits.TrustedProxies {
		if pfx.Bits() < 8 {
			p.add("MENUSYNC_TRUSTED_PROXIES trusts %s: anyone there could claim any client address", pfx)
		}
	}
	return cfg, true
}

func envValue(c *corev1.Container, name string) string {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

// checkPod: ports and probes match the server, the pod runs as the
// image's user with nothing it does not need, and it fits its resources.
func checkPod(s *server, d *appsv1.Deployment, c *corev1.Container, cfg app.Config, p *problems) {
	listen, err := port(cfg.Addr)
	if err != nil {
		p.add("MENUSYNC_ADDR %q: %v", cfg.Addr, err)
	}
	if listen != s.exposed {
		p.add("the server listens on %d but the Dockerfile EXPOSEs %d", listen, s.exposed)
	}
	if len(c.Ports) != 1 || int(c.Ports[0].ContainerPort) != listen || c.Ports[0].Name != "http" {
		p.add("container ports %v: want one named http on %d (MENUSYNC_ADDR)", c.Ports, listen)
	}
	checkProbe(c, "readiness", c.ReadinessProbe, "/readyz", listen, p)
	checkProbe(c, "liveness", c.LivenessProbe, "/healthz", listen, p)
	checkSecurity(s, &d.Spec.Template.Spec, c, p)
	checkResources(c, cfg, p)
	spec := d.Spec.Template.Spec
	if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
		p.add("automountServiceAccountToken must be false: the server never calls the API")
	}
	if spec.EnableServiceLinks == nil || *spec.EnableServiceLinks {
		p.add("enableServiceLinks must be false: a Service named menusync would inject MENUSYNC_* variables")
	}
}

// checkProbe: an HTTP GET of path on the server's port. The paths are
// also asked of a live replica (TestProbesAnswerOnAReplica).
func checkProbe(c *corev1.Container, which string, pr *corev1.Probe, path string, listen int, p *problems) {
	if pr == nil || pr.HTTPGet == nil {
		p.add("%s probe: want an httpGet of %s", which, path)
		return
	}
	if pr.HTTPGet.Path != path {
		p.add("%s probe asks %s; the server answers it on %s", which, pr.HTTPGet.Path, path)
	}
	if got := resolvePort(c, pr.HTTPGet.Port); got != listen {
		p.add("%s probe port %s is %d; the server listens on %d", which, pr.HTTPGet.Port.String(), got, listen)
	}
	if pr.HTTPGet.Scheme != "" && pr.HTTPGet.Scheme != corev1.URISchemeHTTP {
		p.add("%s probe scheme %s: the server speaks plain HTTP", which, pr.HTTPGet.Scheme)
	}
}

// resolvePort turns a port name or number into the container's number.
func resolvePort(c *corev1.Container, p intstr.IntOrString) int {
	if p.Type == intstr.Int {
		return p.IntValue()
	}
	for _, cp := range c.Ports {
		if cp.Name == p.StrVal {
			return int(cp.ContainerPort)
		}
	}
	return 0
}

func checkSecurity(s *server, pod *corev1.PodSpec, c *corev1.Container, p *problems) {
	psc, csc := pod.SecurityContext, c.SecurityContext
	if psc == nil {
		psc = &corev1.PodSecurityContext{}
	}
	if csc == nil {
		csc = &corev1.SecurityContext{}
	}
	pick := func(container, pod *int64) *int64 {
		if container != nil {
			return container
		}
		return pod
	}
	if u := pick(csc.RunAsUser, psc.RunAsUser); u == nil || *u != s.uid {
		p.add("runAsUser %v: want the image's user %d (Dockerfile USER)", deref(u), s.uid)
	}
	if g := pick(csc.RunAsGroup, psc.RunAsGroup); g == nil || *g != s.gid {
		p.add("runAsGroup %v: want the image's group %d (Dockerfile USER)", deref(g), s.gid)
	}
	if (csc.RunAsNonRoot == nil || !*csc.RunAsNonRoot) && (psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot) {
		p.add("runAsNonRoot is not set")
	}
	if csc.ReadOnlyRootFilesystem == nil || !*csc.ReadOnlyRootFilesystem {
		p.add("readOnlyRootFilesystem is not set: the server writes no file")
	}
	if csc.AllowPrivilegeEscalation == nil || *csc.AllowPrivilegeEscalation {
		p.add("allowPrivilegeEscalation must be false")
	}
	if csc.Capabilities == nil || len(csc.Capabilities.Drop) != 1 || csc.Capabilities.Drop[0] != "ALL" || len(csc.Capabilities.Add) > 0 {
		p.add("capabilities: want drop [ALL] and nothing added")
	}
	seccomp := csc.SeccompProfile
	if seccomp == nil {
		seccomp = psc.SeccompProfile
	}
	if seccomp == nil || seccomp.Type != corev1.SeccompProfileTypeRuntimeDefault {
		p.add("seccompProfile: want RuntimeDefault (the restricted Pod Security Standard)")
	}
}

func deref(v *int64) any {
	if v == nil {
		return "unset"
	}
	return *v
}

// checkResources: requests for scheduling and the autoscaler, a memory
// limit that holds the stream cap, and GOMEMLIMIT below that limit.
func checkResources(c *corev1.Container, cfg app.Config, p *problems) {
	req, lim := c.Resources.Requests, c.Resources.Limits
	if req.Cpu().IsZero() || req.Memory().IsZero() {
		p.add("resources.requests: want cpu and memory (the autoscaler counts in them)")
	}
	memLimit := lim.Memory()
	if memLimit.IsZero() {
		p.add("resources.limits.memory is not set")
		return
	}
	if cfg.HTTP.MaxStreams == 0 {
		p.add("MENUSYNC_MAX_STREAMS is 0 (no cap): memory grows with streams until the pod is OOM-killed")
	}
	if need := cfg.HTTP.MaxStreams*streamBytes + baseBytes; need > memLimit.Value() {
		p.add("MENUSYNC_MAX_STREAMS %d needs about %s but the memory limit is %s", cfg.HTTP.MaxStreams,
			resource.NewQuantity(need, resource.BinarySI), memLimit)
	}
	if v := envValue(c, "GOMEMLIMIT"); v != "" {
		q, err := resource.ParseQuantity(goSize(v))
		if err != nil || q.Cmp(*memLimit) >= 0 {
			p.add("GOMEMLIMIT %s must be below the memory limit %s (err %v)", v, memLimit, err)
		}
	}
}

// goSize writes a Go runtime size ("900MiB") as a Kubernetes quantity.
func goSize(v string) string {
	for _, u := range []string{"KiB", "MiB", "GiB", "TiB"} {
		if n, ok := strings.CutSuffix(v, u); ok {
			return n + u[:2]
		}
	}
	return strings.TrimSuffix(v, "B")
}
