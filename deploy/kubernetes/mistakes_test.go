package kubernetes

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func container(o *objects) *corev1.Container {
	return &o.Deployments[0].Spec.Template.Spec.Containers[0]
}

func setEnv(o *objects, name, value string) {
	c := container(o)
	for i := range c.Env {
		if c.Env[i].Name == name {
			c.Env[i] = corev1.EnvVar{Name: name, Value: value}
			return
		}
	}
	c.Env = append(c.Env, corev1.EnvVar{Name: name, Value: value})
}

func ptr[T any](v T) *T { return &v }

// named finds an object of a build by name; the order of a build is
// kustomize's to choose.
func named[T interface{ GetName() string }](list []T, name string) T {
	for _, v := range list {
		if v.GetName() == name {
			return v
		}
	}
	panic("no object named " + name)
}

// The checks can fail: each case makes one mistake an operator (or a
// later change to the server) could make, on a copy of the example
// overlay, and its check must report it.
func TestChecksCatchMistakes(t *testing.T) {
	s, good := readServer(t), exampleBuild(t)
	cases := []struct {
		mistake, want string
		make          func(o *objects)
	}{
		{"readiness on a path the server does not serve", "readiness probe asks /ready;", func(o *objects) { container(o).ReadinessProbe.HTTPGet.Path = "/ready" }},
		{"liveness on /readyz: a Redis outage restarts every pod", "liveness probe asks /readyz", func(o *objects) { container(o).LivenessProbe.HTTPGet.Path = "/readyz" }},
		{"probe on a port nothing listens on", "readiness probe port 9090", func(o *objects) { container(o).ReadinessProbe.HTTPGet.Port = intstr.FromInt32(9090) }},
		{"server moved to another port", "the server listens on 9000", func(o *objects) { setEnv(o, "MENUSYNC_ADDR", ":9000") }},
		{"grace period shorter than the drain", "terminationGracePeriodSeconds 30s", func(o *objects) { o.Deployments[0].Spec.Template.Spec.TerminationGracePeriodSeconds = ptr[int64](30) }},
		{"a longer drain window, the grace period left as it was", "MENUSYNC_DRAIN_WINDOW 20s", func(o *objects) { setEnv(o, "MENUSYNC_DRAIN_WINDOW", "20s") }},
		{"preStop through a shell the image lacks", "no shell", func(o *objects) {
			container(o).Lifecycle.PreStop = &corev1.LifecycleHandler{Exec: &corev1.ExecAction{Command: []string{"sh", "-c", "sleep 5"}}}
		}},
		{"no preStop", "no preStop", func(o *objects) { container(o).Lifecycle = nil }},
		{"a setting misspelled", "MENUSYNC_DRAIN_WINDOWS is not a setting", func(o *objects) { setEnv(o, "MENUSYNC_DRAIN_WINDOWS", "10s") }},
		{"a duration without its unit", "the server would refuse", func(o *objects) { setEnv(o, "MENUSYNC_MAX_STREAM_AGE", "30") }},
		{"streams never rebalance", "MENUSYNC_MAX_STREAM_AGE is 0", func(o *objects) { setEnv(o, "MENUSYNC_MAX_STREAM_AGE", "0") }},
		{"the token key in the manifest", "MENUSYNC_SECRET must come from a Secret", func(o *objects) { setEnv(o, "MENUSYNC_SECRET", "committed-to-git-for-all") }},
		{"proxies left at loopback", "MENUSYNC_TRUSTED_PROXIES is \"127.0.0.0/8,::1/128\"", func(o *objects) { setEnv(o, "MENUSYNC_TRUSTED_PROXIES", "127.0.0.0/8,::1/128") }},
		{"every address trusted", "trusts 0.0.0.0/0", func(o *objects) { setEnv(o, "MENUSYNC_TRUSTED_PROXIES", "0.0.0.0/0") }},
		{"a stream cap the memory cannot hold", "MENUSYNC_MAX_STREAMS 40000 needs", func(o *objects) { setEnv(o, "MENUSYNC_MAX_STREAMS", "40000") }},
		{"GOMEMLIMIT at the limit", "GOMEMLIMIT 1GiB", func(o *objects) { setEnv(o, "GOMEMLIMIT", "1GiB") }},
		{"runs as root", "runAsUser 0", func(o *objects) { o.Deployments[0].Spec.Template.Spec.SecurityContext.RunAsUser = ptr[int64](0) }},
		{"a user the image does not have", "runAsUser 1000", func(o *objects) { container(o).SecurityContext.RunAsUser = ptr[int64](1000) }},
		{"writable root file system", "readOnlyRootFilesystem", func(o *objects) { container(o).SecurityContext.ReadOnlyRootFilesystem = nil }},
		{"replicas in the Deployment", "Deployment sets replicas 3", func(o *objects) { o.Deployments[0].Spec.Replicas = ptr[int32](3) }},
		{"the autoscaler on another Deployment", "the autoscaler scales apps/v1 Deployment menusync-old", func(o *objects) { o.HPAs[0].Spec.ScaleTargetRef.Name = "menusync-old" }},
		{"evictions blocked while Redis is down", "unhealthyPodEvictionPolicy", func(o *objects) { o.PDBs[0].Spec.UnhealthyPodEvictionPolicy = nil }},
		{"no spread over zones", "no topology spread over topology.kubernetes.io/zone", func(o *objects) {
			spec := &o.Deployments[0].Spec.Template.Spec
			spec.TopologySpreadConstraints = spec.TopologySpreadConstraints[:1]
		}},
		{"nginx buffers the stream", "proxy-buffering must be off", func(o *objects) { named(o.Ingresses, "menusync").Annotations[annotation+"proxy-buffering"] = "on" }},
		{"read timeout of two heartbeats", "proxy-read-timeout \"30\"", func(o *objects) { named(o.Ingresses, "menusync").Annotations[annotation+"proxy-read-timeout"] = "30" }},
		{"the photo size on every path", "proxy-body-size \"9m\"", func(o *objects) { named(o.Ingresses, "menusync").Annotations[annotation+"proxy-body-size"] = "9m" }},
		{"POSTs resent", "non_idempotent", func(o *objects) {
			named(o.Ingresses, "menusync").Annotations[annotation+"proxy-next-upstream"] = "error timeout non_idempotent"
		}},
		{"sticky sessions", "affinity pins clients", func(o *objects) { named(o.Ingresses, "menusync").Annotations[annotation+"affinity"] = "cookie" }},
		{"/metrics public", "/metrics is served publicly", func(o *objects) {
			delete(named(o.Ingresses, "menusync-metrics-closed").Annotations, annotation+"denylist-source-range")
		}},
		{"share links to another host", "is not the Ingress host", func(o *objects) { setEnv(o, "MENUSYNC_PUBLIC_URL", "https://elsewhere.example") }},
		{"anyone may connect to the pods", "lets everyone in", func(o *objects) { named(o.NetworkPolicies, "menusync").Spec.Ingress[0].From = nil }},
		{"the pods may reach the Internet", "is (nearly) anywhere", func(o *objects) { named(o.NetworkPolicies, "menusync").Spec.Egress[1].To[0].IPBlock.CIDR = "0.0.0.0/0" }},
		{"the pods may reach any port", "without to or ports", func(o *objects) { named(o.NetworkPolicies, "menusync").Spec.Egress[1].Ports = nil }},
		{"the pods may reach Postgres", "TCP/5432", func(o *objects) {
			named(o.NetworkPolicies, "menusync").Spec.Egress[1].Ports[0].Port = ptr(intstr.FromInt32(5432))
		}},
		{"no egress isolation", "isolates the pods for both", func(o *objects) {
			named(o.NetworkPolicies, "menusync").Spec.PolicyTypes = []networkingv1.PolicyType{networkingv1.PolicyTypeIngress}
		}},
		{"the ServiceMonitor on a port the Service lacks", "scrapes port", func(o *objects) { o.ServiceMonitors[0].Spec.Endpoints[0].Port = "metrics" }},
		{"the Service aims at a port the pod lacks", "Service port http targets metrics", func(o *objects) { o.Services[0].Spec.Ports[0].TargetPort = intstr.FromString("metrics") }},
	}
	for _, c := range cases {
		o := good.clone()
		c.make(o)
		p := checkAll(s, o, true)
		found := false
		for _, line := range p {
			found = found || strings.Contains(line, c.want)
		}
		if !found {
			t.Errorf("%s: no problem saying %q; the checks said:%s", c.mistake, c.want, p)
		}
	}
}

// Strict decoding: what the API server would drop or refuse fails the
// build here.
func TestStrictDecoding(t *testing.T) {
	cases := []struct{ mistake, patch, want string }{
		{"a field in the wrong case", `{"template":{"spec":{"containers":[{"name":"menusync","readinessprobe":{"periodSeconds":5}}]}}}`, `unknown field "spec.template.spec.containers[0].readinessprobe"`},
		{"a field that does not exist", `{"template":{"spec":{"terminationGracePeriod":40}}}`, `unknown field "spec.template.spec.terminationGracePeriod"`},
		{"a number as a string", `{"template":{"spec":{"terminationGracePeriodSeconds":"40s"}}}`, "cannot unmarshal string"},
	}
	for _, c := range cases {
		_, err := buildWith(t, map[string]string{
			"kustomization.yaml": "resources: [../base]\npatches: [{path: patch.yaml}]\n",
			"patch.yaml":         "{apiVersion: apps/v1, kind: Deployment, metadata: {name: menusync}, spec: " + c.patch + "}\n",
		})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: build error %v, want one saying %s", c.mistake, err, c.want)
		}
	}
	_, err := buildWith(t, map[string]string{"kustomization.yaml": "resources: [../base, hpa.yaml]\n", "hpa.yaml": `
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: old}
spec: {scaleTargetRef: {kind: Deployment, name: menusync}, maxReplicas: 3}
`})
	if err == nil || !strings.Contains(err.Error(), "no API type known") {
		t.Errorf("an apiVersion the checks do not know passed: %v", err)
	}
}
