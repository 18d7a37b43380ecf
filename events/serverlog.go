package events

import (
	"fmt"
	"log/slog"
)

// serverLogger adapts the embedded nats-server's printf logger to slog.
//
// The server's notices (its startup banner, mostly) go to Debug: StartEmbedded
// logs one Info line of its own once the server is ready. A Fatalf must not
// exit the process as the server's own logger would: it is logged and handed
// to StartEmbedded through fatal, so a failed start becomes an error.
type serverLogger struct {
	log   *slog.Logger
	fatal chan string // buffered; only the first fatal message is kept
}

func newServerLogger(log *slog.Logger) *serverLogger {
	return &serverLogger{log: log.With("component", "nats-server"), fatal: make(chan string, 1)}
}

func (l *serverLogger) Noticef(format string, v ...any) { l.log.Debug(fmt.Sprintf(format, v...)) }
func (l *serverLogger) Warnf(format string, v ...any)   { l.log.Warn(fmt.Sprintf(format, v...)) }
func (l *serverLogger) Errorf(format string, v ...any)  { l.log.Error(fmt.Sprintf(format, v...)) }
func (l *serverLogger) Debugf(format string, v ...any)  { l.log.Debug(fmt.Sprintf(format, v...)) }
func (l *serverLogger) Tracef(format string, v ...any)  { l.log.Debug(fmt.Sprintf(format, v...)) }

func (l *serverLogger) Fatalf(format string, v ...any) {
	msg := fmt.Sprintf(format, v...)
	l.log.Error(msg)
	select {
	case l.fatal <- msg:
	default:
	}
}

// orDiscard returns log, or a logger that drops everything when log is nil.
func orDiscard(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return log
}
