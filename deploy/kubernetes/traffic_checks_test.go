package kubernetes

import (
	"slices"
	"strconv"
	"strings"

	"github.com/menusync/menusync/handlers"
	"github.com/menusync/menusync/internal/app"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/labels"
)

const annotation = "nginx.ingress.kubernetes.io/"

// service returns the Service in front of the pods and the name of its
// port that reaches the container's.
func service(o *objects, c *corev1.Container, podLabels map[string]string, p *problems) *corev1.Service {
	if len(o.Services) != 1 {
		p.add("want one Service, have %d", len(o.Services))
		return nil
	}
	svc := o.Services[0]
	if len(svc.Spec.Selector) == 0 || !labels.SelectorFromSet(svc.Spec.Selector).Matches(labels.Set(podLabels)) {
		p.add("Service %s does not select the pods", svc.Name)
	}
	if svc.Spec.SessionAffinity != "" && svc.Spec.SessionAffinity != corev1.ServiceAffinityNone {
		p.add("Service %s has session affinity: no replica owns a room, and affinity unbalances streams", svc.Name)
	}
	for _, sp := range svc.Spec.Ports {
		if resolvePort(c, sp.TargetPort) == 0 {
			p.add("Service port %s targets %s, which the container does not have", sp.Name, sp.TargetPort.String())
		}
	}
	return svc
}

func servicePort(svc *corev1.Service, name string) bool {
	return slices.ContainsFunc(svc.Spec.Ports, func(sp corev1.ServicePort) bool { return sp.Name == name })
}

// checkIngress: what SSE needs from ingress-nginx (README "On
// Kubernetes"), the server's body limit, /metrics kept off the public
// entry, and one host, the one MENUSYNC_PUBLIC_URL names.
func checkIngress(o *objects, svc *corev1.Service, cfg app.Config, p *problems) {
	var main *networkingv1.Ingress
	hosts := map[string]bool{}
	for _, ing := range o.Ingresses {
		if ing.Spec.IngressClassName == nil || *ing.Spec.IngressClassName != "nginx" {
			p.add("Ingress %s: ingressClassName must be nginx (the annotations are ingress-nginx's)", ing.Name)
		}
		if ing.Annotations[annotation+"use-regex"] == "true" || ing.Annotations[annotation+"rewrite-target"] != "" {
			p.add("Ingress %s: use-regex turns every path of the host into a case-insensitive regex", ing.Name)
		}
		for _, rule := range ing.Spec.Rules {
			hosts[rule.Host] = true
			if rule.HTTP == nil {
				p.add("Ingress %s: a rule for %q routes nothing", ing.Name, rule.Host)
				continue
			}
			for _, path := range rule.HTTP.Paths {
				b := path.Backend.Service
				if svc == nil || b == nil || b.Name != svc.Name || !servicePort(svc, b.Port.Name) {
					p.add("Ingress %s path %s: backend %v is not a named port of Service menusync", ing.Name, path.Path, b)
				}
				if path.Path == "/" && path.PathType != nil && *path.PathType == networkingv1.PathTypePrefix {
					main = ing
				}
			}
		}
	}
	if main == nil {
		p.add("no Ingress routes the prefix / to the replicas")
		return
	}
	checkStreamAnnotations(main, cfg, p)
	checkMetricsClosed(o, p)
	if len(hosts) != 1 {
		p.add("Ingresses name hosts %v: want one", hosts)
	}
	if cfg.HTTP.PublicURL != nil {
		if !hosts[cfg.HTTP.PublicURL.Hostname()] {
			p.add("MENUSYNC_PUBLIC_URL %s is not the Ingress host %v: share links would point elsewhere", cfg.HTTP.PublicURL, hosts)
		}
		if len(main.Spec.TLS) > 0 && cfg.HTTP.PublicURL.Scheme != "https" {
			p.add("the Ingress serves TLS but MENUSYNC_PUBLIC_URL is %s", cfg.HTTP.PublicURL)
		}
	}
}

func checkStreamAnnotations(ing *networkingv1.Ingress, cfg app.Config, p *problems) {
	a := ing.Annotations
	if a[annotation+"proxy-buffering"] != "off" {
		p.add("Ingress %s: proxy-buffering must be off, or events wait in nginx's buffer", ing.Name)
	}
	for _, name := range []string{"proxy-read-timeout", "proxy-send-timeout"} {
		secs, err := strconv.Atoi(a[annotation+name])
		if least := max(60, 4*int(cfg.HTTP.Heartbeat.Seconds())); err != nil || secs < least {
			p.add("Ingress %s: %s %q, want at least %d s (four heartbeats of %v: the longest silence of an idle stream)", ing.Name, name, a[annotation+name], least, cfg.HTTP.Heartbeat)
		}
	}
	if size, err := nginxSize(a[annotation+"proxy-body-size"]); err != nil || size != handlers.MaxMenuBody {
		p.add("Ingress %s: proxy-body-size %q, want the server's largest JSON body, %d bytes (1m: a whole menu)", ing.Name, a[annotation+"proxy-body-size"], handlers.MaxMenuBody)
	}
	if strings.Contains(a[annotation+"proxy-next-upstream"], "non_idempotent") {
		p.add("Ingress %s: proxy-next-upstream non_idempotent resends keyless changes, which could then run twice", ing.Name)
	}
	for _, sticky := range []string{"affinity", "upstream-hash-by"} {
		if a[annotation+sticky] != "" {
			p.add("Ingress %s: %s pins clients to pods, which nothing needs and which unbalances streams", ing.Name, sticky)
		}
	}
}

// checkMetricsClosed: the location that serves /metrics, by Kubernetes's
// path rules (an exact path first, then the longest prefix), refuses
// every address.
func checkMetricsClosed(o *objects, p *problems) {
	var best *networkingv1.Ingress
	bestLen, exact := -1, false
	for _, ing := range o.Ingresses {
		for _, rule := range ing.Spec.Rules {
			if rule.HTTP == nil {
				continue
			}
			for _, path := range rule.HTTP.Paths {
				isExact := path.PathType != nil && *path.PathType == networkingv1.PathTypeExact
				switch {
				case isExact && path.Path == "/metrics":
					best, exact = ing, true
				case !exact && !isExact && prefixMatches(path.Path, "/metrics") && len(path.Path) > bestLen:
					best, bestLen = ing, len(path.Path)
				}
			}
		}
	}
	if best == nil {
		return // not routed: the controller's default backend answers 404
	}
	deny := strings.Split(best.Annotations[annotation+"denylist-source-range"], ",")
	if !slices.Contains(deny, "0.0.0.0/0") || !slices.Contains(deny, "::/0") {
		p.add("/metrics is served publicly through Ingress %s: it must deny 0.0.0.0/0 and ::/0", best.Name)
	}
}

// prefixMatches is the Prefix path type: whole path elements.
func prefixMatches(prefix, path string) bool {
	prefix = strings.TrimSuffix(prefix, "/")
	return prefix == "" || path == prefix || strings.HasPrefix(path, prefix+"/")
}
