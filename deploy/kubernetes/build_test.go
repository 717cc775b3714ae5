package kubernetes

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/json"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// objects is one kustomize build, every object decoded into its API type.
type objects struct {
	Namespaces      []*corev1.Namespace
	Deployments     []*appsv1.Deployment
	Services        []*corev1.Service
	ConfigMaps      []*corev1.ConfigMap
	HPAs            []*autoscalingv2.HorizontalPodAutoscaler
	PDBs            []*policyv1.PodDisruptionBudget
	NetworkPolicies []*networkingv1.NetworkPolicy
	Ingresses       []*networkingv1.Ingress
	ServiceMonitors []*monitoringv1.ServiceMonitor
}

// build runs kustomize on dir as `kubectl apply -k` would (kustomize/api
// is what kubectl embeds) and decodes the result strictly: a field the
// API type does not have, a field given twice or a wrongly cased one
// fails, where the API server would drop it silently (or, with
// server-side field validation, refuse the apply on the day of the
// deployment).
func build(fs filesys.FileSystem, dir string) (*objects, error) {
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(fs, dir)
	if err != nil {
		return nil, fmt.Errorf("kustomize build %s: %w", dir, err)
	}
	o := &objects{}
	decoders := o.decoders()
	var errs []error
	for _, r := range resources.Resources() {
		gvk := r.GetApiVersion() + " " + r.GetKind()
		decode, ok := decoders[gvk]
		if !ok {
			errs = append(errs, fmt.Errorf("%s %s: no API type known for it here (a typo in apiVersion or kind?)", gvk, r.GetName()))
			continue
		}
		data, err := r.MarshalJSON()
		if err == nil {
			err = decode(data)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", gvk, r.GetName(), err))
		}
	}
	return o, errors.Join(errs...)
}

func (o *objects) decoders() map[string]func([]byte) error {
	return map[string]func([]byte) error{
		"v1 Namespace":                            into(&o.Namespaces),
		"apps/v1 Deployment":                      into(&o.Deployments),
		"v1 Service":                              into(&o.Services),
		"v1 ConfigMap":                            into(&o.ConfigMaps),
		"autoscaling/v2 HorizontalPodAutoscaler":  into(&o.HPAs),
		"policy/v1 PodDisruptionBudget":           into(&o.PDBs),
		"networking.k8s.io/v1 NetworkPolicy":      into(&o.NetworkPolicies),
		"networking.k8s.io/v1 Ingress":            into(&o.Ingresses),
		"monitoring.coreos.com/v1 ServiceMonitor": into(&o.ServiceMonitors),
	}
}

// into decodes one object and appends it to list. sigs.k8s.io/json is the
// decoder the API server uses: case-sensitive, unlike encoding/json.
func into[T any](list *[]*T) func([]byte) error {
	return func(data []byte) error {
		v := new(T)
		strict, err := json.UnmarshalStrict(data, v, json.DisallowDuplicateFields, json.DisallowUnknownFields)
		if err != nil {
			return err
		}
		if len(strict) > 0 {
			return errors.Join(strict...)
		}
		*list = append(*list, v)
		return nil
	}
}

// clone is a deep copy, for tests that break one thing.
func (o *objects) clone() *objects {
	c := &objects{}
	c.Namespaces = deepCopies(o.Namespaces, (*corev1.Namespace).DeepCopy)
	c.Deployments = deepCopies(o.Deployments, (*appsv1.Deployment).DeepCopy)
	c.Services = deepCopies(o.Services, (*corev1.Service).DeepCopy)
	c.ConfigMaps = deepCopies(o.ConfigMaps, (*corev1.ConfigMap).DeepCopy)
	c.HPAs = deepCopies(o.HPAs, (*autoscalingv2.HorizontalPodAutoscaler).DeepCopy)
	c.PDBs = deepCopies(o.PDBs, (*policyv1.PodDisruptionBudget).DeepCopy)
	c.NetworkPolicies = deepCopies(o.NetworkPolicies, (*networkingv1.NetworkPolicy).DeepCopy)
	c.Ingresses = deepCopies(o.Ingresses, (*networkingv1.Ingress).DeepCopy)
	c.ServiceMonitors = deepCopies(o.ServiceMonitors, (*monitoringv1.ServiceMonitor).DeepCopy)
	return c
}

func deepCopies[T any](in []*T, cp func(*T) *T) []*T {
	out := make([]*T, len(in))
	for i, v := range in {
		out[i] = cp(v)
	}
	return out
}

// kinds lists what a build holds, e.g. "Deployment/menusync", sorted.
func (o *objects) kinds() []string {
	var out []string
	add := func(kind, name string) { out = append(out, kind+"/"+name) }
	for _, v := range o.Namespaces {
		add("Namespace", v.Name)
	}
	for _, v := range o.Deployments {
		add("Deployment", v.Name)
	}
	for _, v := range o.Services {
		add("Service", v.Name)
	}
	for _, v := range o.ConfigMaps {
		add("ConfigMap", v.Name)
	}
	for _, v := range o.HPAs {
		add("HorizontalPodAutoscaler", v.Name)
	}
	for _, v := range o.PDBs {
		add("PodDisruptionBudget", v.Name)
	}
	for _, v := range o.NetworkPolicies {
		add("NetworkPolicy", v.Name)
	}
	for _, v := range o.Ingresses {
		add("Ingress", v.Name)
	}
	for _, v := range o.ServiceMonitors {
		add("ServiceMonitor", v.Name)
	}
	slices.Sort(out)
	return out
}

// selects reports whether a label selector picks pods with these labels.
// A nil selector picks none; an empty one picks every pod.
func selects(sel *metav1.LabelSelector, podLabels map[string]string) bool {
	s, err := metav1.LabelSelectorAsSelector(sel)
	return err == nil && s.Matches(labels.Set(podLabels))
}

// problems collects what a check found, each with where it was found.
type problems []string

func (p *problems) add(format string, args ...any) {
	*p = append(*p, fmt.Sprintf(format, args...))
}

func (p problems) String() string { return "\n  " + strings.Join(p, "\n  ") }
