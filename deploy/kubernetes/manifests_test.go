package kubernetes

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	networkingv1 "k8s.io/api/networking/v1"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// checkAll runs every check on a build: what it returns is what an
// operator would meet on the cluster, or what would break the server.
func checkAll(s *server, o *objects, monitoring bool) problems {
	var p problems
	d, c := deployment(o, &p)
	if c == nil {
		return p
	}
	cfg, ok := checkEnv(s, c, &p)
	if !ok {
		return p
	}
	checkPod(s, d, c, cfg, &p)
	checkDrain(s, d, c, cfg, &p)
	checkPlacement(d, &p)
	checkScaling(d, o, &p)
	svc := service(o, c, d.Spec.Template.Labels, &p)
	checkIngress(o, svc, cfg, &p)
	checkNetworkPolicy(o, c, d.Spec.Template.Labels, &p)
	if monitoring {
		checkMonitoring(o, svc, &p)
	}
	return p
}

var example struct {
	once sync.Once
	objs *objects
	err  error
}

// exampleBuild is overlays/example, built once per test process.
func exampleBuild(t *testing.T) *objects {
	t.Helper()
	example.once.Do(func() { example.objs, example.err = build(filesys.MakeFsOnDisk(), "overlays/example") })
	if example.err != nil {
		t.Fatal(example.err)
	}
	return example.objs
}

func TestOverlayExample(t *testing.T) {
	o := exampleBuild(t)
	want := []string{
		"ConfigMap/menusync-dashboard", "Deployment/menusync", "HorizontalPodAutoscaler/menusync",
		"Ingress/menusync", "Ingress/menusync-menu-scan", "Ingress/menusync-metrics-closed", "Namespace/menusync",
		"NetworkPolicy/menusync", "NetworkPolicy/menusync-scrape", "PodDisruptionBudget/menusync",
		"Service/menusync", "ServiceMonitor/menusync",
	}
	if got := o.kinds(); !slices.Equal(got, want) {
		t.Errorf("the overlay builds\n  %v\nwant\n  %v", got, want)
	}
	if p := checkAll(readServer(t), o, true); len(p) > 0 {
		t.Errorf("overlays/example:%s", p)
	}
	img := o.Deployments[0].Spec.Template.Spec.Containers[0].Image
	if !strings.Contains(img, "/") || strings.HasSuffix(img, ":latest") || !strings.ContainsAny(img, ":@") {
		t.Errorf("image %q: want a registry's name with a tag or digest, not latest", img)
	}
	if ns := o.Namespaces[0]; ns.Labels["pod-security.kubernetes.io/enforce"] != "restricted" {
		t.Errorf("namespace %s does not enforce the restricted Pod Security Standard the pods meet", ns.Name)
	}
}

// The base on its own is complete too (an overlay only adds what it
// knows), apart from monitoring, which is a component.
func TestBase(t *testing.T) {
	o, err := build(filesys.MakeFsOnDisk(), "base")
	if err != nil {
		t.Fatal(err)
	}
	if p := checkAll(readServer(t), o, false); len(p) > 0 {
		t.Errorf("base:%s", p)
	}
}

// copyTree puts this directory's manifests into an in-memory file system
// at the same paths, for builds of kustomizations the tests write.
func copyTree(t *testing.T) filesys.FileSystem {
	t.Helper()
	mem := filesys.MakeFsInMemory()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".json")) {
			return err
		}
		b, err := os.ReadFile(path)
		if err == nil {
			err = mem.WriteFile("/"+path, b)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return mem
}

// buildWith builds a kustomization written here, under /test, over the
// repository's manifests.
func buildWith(t *testing.T, files map[string]string) (*objects, error) {
	t.Helper()
	mem := copyTree(t)
	for name, text := range files {
		if err := mem.WriteFile("/test/"+name, []byte(text)); err != nil {
			t.Fatal(err)
		}
	}
	return build(mem, "/test")
}

// The photo-upload path's Ingress (components/menu-scan) builds, takes
// 8 MiB on that one exact path, and changes nothing else.
func TestMenuScanComponent(t *testing.T) {
	o, err := buildWith(t, map[string]string{"kustomization.yaml": `
resources: [../base]
components: [../components/menu-scan]
`})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(o.Ingresses, func(ing *networkingv1.Ingress) bool { return ing.Name == "menusync-menu-scan" })
	if i < 0 {
		t.Fatal("no Ingress menusync-menu-scan")
	}
	scan := o.Ingresses[i]
	size, err := nginxSize(scan.Annotations[annotation+"proxy-body-size"])
	path := scan.Spec.Rules[0].HTTP.Paths[0]
	if err != nil || size < 8<<20 || path.Path != "/v1/menus/scan" || string(*path.PathType) != "Exact" {
		t.Errorf("menu-scan Ingress: body size %d (%v), path %s %s; want 8 MiB on exactly /v1/menus/scan", size, err, *path.PathType, path.Path)
	}
	if p := checkAll(readServer(t), o, false); len(p) > 0 {
		t.Errorf("base with menu-scan:%s", p)
	}
}
