// Command ferretdb-local runs FerretDB v1 (SQLite backend) embedded, because the upstream
// `go install` build panics without generated version files.
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data-dir", "data", "directory for SQLite database files")
	flag.Parse()

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		logger.Error("data dir", "err", err)
		os.Exit(1)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		logger.Error("data dir", "err", err)
		os.Exit(1)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Handler:  "sqlite",
		// FerretDB already opens its files in WAL mode; synchronous=normal stops it fsyncing every
		// commit (SQLite's default is FULL), which costs a crash of the machine at most the last
		// transactions, never a corrupt file (ADR 0019).
		SQLiteURL: "file:" + abs + "/?_pragma=synchronous(normal)",
		Logger:    logger,
	})
	if err != nil {
		logger.Error("start", "err", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	os.Stdout.WriteString("FerretDB listening on " + *listen + "\n")
	_ = f.Run(ctx)
}
