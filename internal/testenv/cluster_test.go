package testenv

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// TestClusterSurvivesLosingTheStreamLeader proves the helper gives a real
// cluster: an R3 stream elects a new leader on another node when its leader
// is killed, keeps what was stored, and the restarted node rejoins as a
// current replica.
func TestClusterSurvivesLosingTheStreamLeader(t *testing.T) {
	c := Cluster(t, 3)
	nc, err := nats.Connect(c.ClientURLs(), nats.MaxReconnects(-1))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "T", Subjects: []string{"t.>"}, Replicas: 3}); err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(ctx, "t.1", []byte("before")); err != nil {
		t.Fatal(err)
	}
	old := c.WaitStreamLeader("T")
	c.Kill(old)
	if now := c.WaitStreamLeader("T"); now == old {
		t.Fatalf("node %d still leads after it was killed", now)
	}
	c.Restart(old)

	// Every peer of the stream, the restarted one included, is current.
	deadline := time.Now().Add(clusterTimeout)
	for {
		info, err := js.Stream(ctx, "T")
		var si *jetstream.StreamInfo
		if err == nil {
			si, err = info.Info(ctx)
		}
		if err == nil && si.State.Msgs == 1 && si.Config.Replicas == 3 && allCurrent(si) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("stream not healthy after the restart: %+v, %v", si, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func allCurrent(si *jetstream.StreamInfo) bool {
	if si.Cluster == nil || si.Cluster.Leader == "" || len(si.Cluster.Replicas) != 2 {
		return false
	}
	for _, r := range si.Cluster.Replicas {
		if !r.Current || r.Offline {
			return false
		}
	}
	return true
}
