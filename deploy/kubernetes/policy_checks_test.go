package kubernetes

import (
	"bytes"
	"net/netip"
	"os"
	"path/filepath"
	"slices"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// Who may reach the pods (namespaces, as kubernetes.io/metadata.name
// labels them): the ingress controller, and Prometheus for /metrics.
var allowedIn = map[string]bool{"ingress-nginx": true, "monitoring": true}

// What the pods may reach: DNS, Redis and Redis Cluster nodes, Sentinel.
var allowedOut = map[string]bool{"UDP/53": true, "TCP/53": true, "TCP/6379": true, "TCP/26379": true}

// checkNetworkPolicy: some policy isolates the pods both ways, and the
// union of the policies that select them lets in only the ingress
// controller (and the scraper) on the server's port, and lets out only
// DNS and Redis. Policies add up, so every one that selects the pods is
// checked.
func checkNetworkPolicy(o *objects, c *corev1.Container, podLabels map[string]string, p *problems) {
	if len(c.Ports) == 0 {
		p.add("the container has no port for a NetworkPolicy to open")
		return
	}
	isolatedIn, isolatedOut, fromIngress := false, false, false
	for _, np := range o.NetworkPolicies {
		if !selects(&np.Spec.PodSelector, podLabels) {
			continue
		}
		isolatedIn = isolatedIn || slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeIngress)
		isolatedOut = isolatedOut || slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeEgress)
		for _, rule := range np.Spec.Ingress {
			if len(rule.From) == 0 || len(rule.Ports) == 0 {
				p.add("NetworkPolicy %s: an ingress rule without from or ports lets everyone in", np.Name)
			}
			for _, port := range rule.Ports {
				if port.Port == nil || resolvePort(c, *port.Port) != int(c.Ports[0].ContainerPort) {
					p.add("NetworkPolicy %s: opens port %v, not the server's", np.Name, port.Port)
				}
			}
			for _, peer := range rule.From {
				ns := namespaceOf(peer)
				if !allowedIn[ns] || peer.PodSelector == nil || len(peer.PodSelector.MatchLabels) == 0 {
					p.add("NetworkPolicy %s: lets in %+v; only the ingress controller's (or Prometheus's) pods, by namespace and pod labels", np.Name, peer)
				}
				fromIngress = fromIngress || ns == "ingress-nginx"
			}
		}
		for _, rule := range np.Spec.Egress {
			checkEgress(np.Name, rule, p)
		}
	}
	if !isolatedIn || !isolatedOut {
		p.add("no NetworkPolicy isolates the pods for both Ingress and Egress (in %v, out %v)", isolatedIn, isolatedOut)
	}
	if !fromIngress {
		p.add("no NetworkPolicy lets the ingress controller in")
	}
}

func checkEgress(name string, rule networkingv1.NetworkPolicyEgressRule, p *problems) {
	if len(rule.To) == 0 || len(rule.Ports) == 0 {
		p.add("NetworkPolicy %s: an egress rule without to or ports lets the pods reach anything", name)
	}
	for _, port := range rule.Ports {
		proto := corev1.ProtocolTCP
		if port.Protocol != nil {
			proto = *port.Protocol
		}
		if port.Port == nil || !allowedOut[string(proto)+"/"+port.Port.String()] || port.EndPort != nil {
			p.add("NetworkPolicy %s: lets the pods out to %s/%v; only DNS and Redis", name, proto, port.Port)
		}
	}
	for _, peer := range rule.To {
		if peer.IPBlock == nil {
			continue
		}
		if pfx, err := netip.ParsePrefix(peer.IPBlock.CIDR); err != nil || pfx.Bits() < 8 {
			p.add("NetworkPolicy %s: egress to %s is (nearly) anywhere", name, peer.IPBlock.CIDR)
		}
	}
}

// namespaceOf is the namespace a peer names by its kubernetes.io/metadata.name
// label ("" for none, or for any namespace).
func namespaceOf(peer networkingv1.NetworkPolicyPeer) string {
	if peer.NamespaceSelector == nil || peer.IPBlock != nil {
		return ""
	}
	return peer.NamespaceSelector.MatchLabels[corev1.LabelMetadataName]
}

// checkMonitoring: the ServiceMonitor scrapes /metrics through a port the
// Service has, and the dashboard ConfigMap holds the dashboard file as it
// is in the repository.
func checkMonitoring(o *objects, svc *corev1.Service, p *problems) {
	if len(o.ServiceMonitors) != 1 {
		p.add("want one ServiceMonitor, have %d", len(o.ServiceMonitors))
		return
	}
	sm := o.ServiceMonitors[0]
	if svc == nil || !selects(&sm.Spec.Selector, svc.Labels) {
		p.add("ServiceMonitor %s does not select the Service", sm.Name)
	}
	if len(sm.Spec.Endpoints) != 1 {
		p.add("ServiceMonitor %s: want one endpoint", sm.Name)
		return
	}
	ep := sm.Spec.Endpoints[0]
	if svc == nil || !servicePort(svc, ep.Port) {
		p.add("ServiceMonitor %s scrapes port %q, which the Service does not name", sm.Name, ep.Port)
	}
	if ep.Path != "/metrics" {
		p.add("ServiceMonitor %s scrapes %q; the server serves /metrics", sm.Name, ep.Path)
	}
	want, err := os.ReadFile(filepath.Join("components", "monitoring", "dashboards", "menusync.json"))
	if err != nil {
		p.add("dashboard: %v", err)
		return
	}
	i := slices.IndexFunc(o.ConfigMaps, func(cm *corev1.ConfigMap) bool { return cm.Name == "menusync-dashboard" })
	if i < 0 || o.ConfigMaps[i].Labels["grafana_dashboard"] != "1" || !bytes.Equal([]byte(o.ConfigMaps[i].Data["menusync.json"]), want) {
		p.add("no ConfigMap menusync-dashboard labelled grafana_dashboard=1 holding dashboards/menusync.json")
	}
}
