package kubernetes

import (
	"time"

	"github.com/menusync/menusync/internal/app"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

// checkDrain: a pod leaves the endpoints, then drains, and the kubelet
// waits for the drain. Kubernetes counts the preStop hook inside
// terminationGracePeriodSeconds, so the period must hold the preStop
// sleep, the drain window (plus the server's slack past it) and the drain
// timeout, or the last in-flight requests die with a SIGKILL.
func checkDrain(s *server, d *appsv1.Deployment, c *corev1.Container, cfg app.Config, p *problems) {
	var sleep time.Duration
	switch {
	case c.Lifecycle == nil || c.Lifecycle.PreStop == nil:
		p.add("no preStop: SIGTERM would arrive while the ingress controller still sends new streams here")
	case c.Lifecycle.PreStop.Exec != nil && (len(c.Lifecycle.PreStop.Exec.Command) == 0 || c.Lifecycle.PreStop.Exec.Command[0] != s.binary):
		p.add("preStop runs %v: the image has no shell and no binary but %s; use the sleep action", c.Lifecycle.PreStop.Exec.Command, s.binary)
	case c.Lifecycle.PreStop.Sleep == nil || c.Lifecycle.PreStop.Sleep.Seconds < 1:
		p.add("preStop: want the kubelet's sleep action of a few seconds, so the endpoints update before the drain starts")
	default:
		sleep = time.Duration(c.Lifecycle.PreStop.Sleep.Seconds) * time.Second
	}
	for _, pr := range []*corev1.Probe{c.ReadinessProbe, c.LivenessProbe, c.StartupProbe} {
		if pr != nil && pr.Exec != nil && (len(pr.Exec.Command) == 0 || pr.Exec.Command[0] != s.binary) {
			p.add("a probe runs %v: the image has only %s", pr.Exec.Command, s.binary)
		}
	}
	need := sleep + cfg.HTTP.DrainWindow + drainSlack + cfg.DrainTimeout
	grace := time.Duration(corev1.DefaultTerminationGracePeriodSeconds) * time.Second
	if g := d.Spec.Template.Spec.TerminationGracePeriodSeconds; g != nil {
		grace = time.Duration(*g) * time.Second
	}
	if grace <= need {
		p.add("terminationGracePeriodSeconds %v does not exceed preStop %v + MENUSYNC_DRAIN_WINDOW %v + %v + MENUSYNC_DRAIN_TIMEOUT %v = %v",
			grace, sleep, cfg.HTTP.DrainWindow, drainSlack, cfg.DrainTimeout, need)
	}
	if ru := d.Spec.Strategy.RollingUpdate; ru == nil || ru.MaxUnavailable == nil || ru.MaxUnavailable.IntValue() != 0 {
		p.add("rollingUpdate.maxUnavailable: want 0, so new pods are ready before old ones drain")
	}
}

// checkPlacement: spread over nodes and zones, counted among this
// Deployment's own pods.
func checkPlacement(d *appsv1.Deployment, p *problems) {
	podLabels := d.Spec.Template.Labels
	if !selects(d.Spec.Selector, podLabels) {
		p.add("Deployment %s: its selector does not pick its own pods", d.Name)
	}
	spread := map[string]corev1.TopologySpreadConstraint{}
	for _, tsc := range d.Spec.Template.Spec.TopologySpreadConstraints {
		spread[tsc.TopologyKey] = tsc
		if !selects(tsc.LabelSelector, podLabels) {
			p.add("topology spread over %s counts other pods than menusync's", tsc.TopologyKey)
		}
		if tsc.MaxSkew != 1 {
			p.add("topology spread over %s: maxSkew %d, want 1", tsc.TopologyKey, tsc.MaxSkew)
		}
	}
	for _, key := range []string{corev1.LabelHostname, corev1.LabelTopologyZone} {
		if _, ok := spread[key]; !ok {
			p.add("no topology spread over %s", key)
		}
	}
	if tsc, ok := spread[corev1.LabelHostname]; ok && tsc.WhenUnsatisfiable != corev1.DoNotSchedule {
		p.add("spread over nodes must be a rule (DoNotSchedule): two replicas on one node go down together")
	}
}

// checkScaling: the autoscaler drives this Deployment, the budget covers
// its pods, and neither leaves a single replica.
func checkScaling(d *appsv1.Deployment, o *objects, p *problems) {
	if len(o.HPAs) != 1 || len(o.PDBs) != 1 {
		p.add("want one HorizontalPodAutoscaler and one PodDisruptionBudget, have %d and %d", len(o.HPAs), len(o.PDBs))
		return
	}
	hpa, pdb := o.HPAs[0], o.PDBs[0]
	ref := hpa.Spec.ScaleTargetRef
	if ref.APIVersion != "apps/v1" || ref.Kind != "Deployment" || ref.Name != d.Name {
		p.add("the autoscaler scales %s %s %s, not the Deployment %s", ref.APIVersion, ref.Kind, ref.Name, d.Name)
	}
	if d.Spec.Replicas != nil {
		p.add("Deployment sets replicas %d: every apply would reset what the autoscaler chose", *d.Spec.Replicas)
	}
	if hpa.Spec.MinReplicas == nil || *hpa.Spec.MinReplicas < 2 {
		p.add("autoscaler minReplicas: want at least 2, so a drain or a lost node leaves a replica")
	}
	if len(hpa.Spec.Metrics) == 0 {
		p.add("the autoscaler has no metrics")
	}
	for _, m := range hpa.Spec.Metrics {
		if m.Resource != nil && m.Resource.Target.AverageUtilization != nil && d.Spec.Template.Spec.Containers[0].Resources.Requests.Name(m.Resource.Name, "").IsZero() {
			p.add("the autoscaler targets %s utilization, which needs a %s request", m.Resource.Name, m.Resource.Name)
		}
	}
	if !selects(pdb.Spec.Selector, d.Spec.Template.Labels) {
		p.add("PodDisruptionBudget %s does not select the pods", pdb.Name)
	}
	if pdb.Spec.MaxUnavailable == nil || pdb.Spec.MaxUnavailable.IntValue() != 1 {
		p.add("PodDisruptionBudget: want maxUnavailable 1 (evictions one pod at a time)")
	}
	if pdb.Spec.UnhealthyPodEvictionPolicy == nil || *pdb.Spec.UnhealthyPodEvictionPolicy != "AlwaysAllow" {
		p.add("PodDisruptionBudget: want unhealthyPodEvictionPolicy AlwaysAllow, or a Redis outage (every pod unready) blocks node drains")
	}
}
