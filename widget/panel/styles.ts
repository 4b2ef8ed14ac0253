/** Panel styles, adopted into the widget's shadow root next to the launcher's. */
export const panelCss = `
*,*::before,*::after{box-sizing:border-box}
.pv-b{position:fixed;bottom:60px;right:14px;z-index:1;min-width:20px;padding:0 6px;border-radius:10px;background:#dc2626;color:#fff;font:700 12px/20px system-ui,sans-serif;text-align:center;box-shadow:0 0 0 2px #fff;pointer-events:none}
.pv-left .pv-b{right:auto;left:60px}
.pv-l{transition:transform .15s}
.pv-l:hover{transform:scale(1.05)}
@media (max-width:480px){div:has(>div>.pv-panel)>.pv-l{display:none}}
@media (prefers-reduced-motion:reduce){.pv-panel,.pv-l{animation:none;transition:none}}
.pv-panel{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2937;position:fixed;bottom:88px;right:20px;width:380px;height:min(620px,calc(100vh - 108px));display:flex;flex-direction:column;background:#fff;border-radius:16px;box-shadow:0 12px 48px rgba(15,23,42,.22),0 0 0 1px rgba(15,23,42,.06);overflow:hidden;animation:pv-in .18s ease-out}
.pv-panel[hidden]{display:none}
.pv-left .pv-panel{right:auto;left:20px}
@keyframes pv-in{from{opacity:0;transform:translateY(12px)}}
@media (max-width:480px){.pv-panel{inset:0;width:auto;height:auto;border-radius:0}}
.pv-head{display:flex;align-items:flex-start;justify-content:space-between;gap:12px;padding:18px 18px 16px;background:var(--pv-color);color:var(--pv-on-color)}
.pv-head h2{margin:0;font-size:17px;font-weight:650;line-height:1.3}
.pv-head p{margin:4px 0 0;font-size:13px;opacity:.9;display:flex;align-items:center;gap:6px}
.pv-dot{width:8px;height:8px;border-radius:50%;background:currentColor;opacity:.5}
.pv-dot.pv-on{background:#22c55e;opacity:1;box-shadow:0 0 0 2px rgba(255,255,255,.6)}
button{font:inherit;color:inherit;cursor:pointer}
button:focus-visible,textarea:focus-visible{outline:3px solid var(--pv-color);outline-offset:2px}
.pv-close{all:unset;cursor:pointer;width:32px;height:32px;border-radius:8px;display:flex;align-items:center;justify-content:center;flex:none}
.pv-close:hover{background:rgba(255,255,255,.18)}
.pv-close:focus-visible{outline:3px solid var(--pv-on-color);outline-offset:-3px}
svg{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.pv-status{margin:0;padding:8px 16px;background:#fef3c7;color:#78350f;font-size:13px}
.pv-scroll{flex:1;overflow-y:auto;padding:16px 14px 8px;background:#f8fafc;overscroll-behavior:contain}
.pv-scroll:focus-visible{outline:3px solid var(--pv-color);outline-offset:-3px}
.pv-log{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:10px}
.pv-msg{display:flex;gap:8px;align-items:flex-end;max-width:86%}
.pv-mine{align-self:flex-end;flex-direction:row-reverse}
.pv-stack{display:flex;flex-direction:column;min-width:0}
.pv-mine .pv-stack{align-items:flex-end}
.pv-name{font-size:12px;color:#64748b;margin:0 0 3px 4px}
.pv-bubble{margin:0;padding:9px 13px;border-radius:16px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:15px;line-height:1.45}
.pv-theirs .pv-bubble{background:#fff;color:#0f172a;border:1px solid #e2e8f0;border-bottom-left-radius:5px}
.pv-mine .pv-bubble{background:var(--pv-color);color:var(--pv-on-color);border-bottom-right-radius:5px}
.pv-pending .pv-bubble{opacity:.65}
.pv-failed .pv-bubble{background:#fee2e2;color:#7f1d1d}
.pv-meta{font-size:11.5px;color:#64748b;margin:3px 4px 0}
.pv-failed .pv-meta{color:#b91c1c}
.pv-retry{all:unset;cursor:pointer;font-weight:600;text-decoration:underline}
.pv-retry:focus-visible{outline:2px solid #b91c1c}
.pv-avatar{flex:none;width:28px;height:28px;border-radius:50%;object-fit:cover;background:var(--pv-color);color:var(--pv-on-color);display:flex;align-items:center;justify-content:center;font-size:11px;font-weight:700}
.pv-notice{align-self:center;text-align:center;font-size:13px;color:#475569;background:#e2e8f0;border-radius:10px;padding:6px 12px;margin:6px 0}
.pv-earlier{display:block;margin:0 auto 12px;padding:6px 12px;border:1px solid #cbd5e1;border-radius:999px;background:#fff;font-size:13px;color:#334155}
.pv-typing{display:flex;align-items:center;gap:8px;margin:10px 4px 2px;font-size:12.5px;color:#64748b}
.pv-dots{display:inline-flex;gap:3px}
.pv-dots i{width:6px;height:6px;border-radius:50%;background:#94a3b8;animation:pv-blink 1.2s infinite}
.pv-dots i:nth-child(2){animation-delay:.2s}.pv-dots i:nth-child(3){animation-delay:.4s}
@keyframes pv-blink{50%{opacity:.3}}
.pv-composer{border-top:1px solid #e2e8f0;padding:10px 12px 12px;background:#fff}
.pv-row{display:flex;align-items:flex-end;gap:8px}
.pv-composer textarea{flex:1;resize:none;min-height:44px;max-height:140px;field-sizing:content;padding:11px 12px;border:1px solid #cbd5e1;border-radius:12px;font-family:inherit;font-size:16px;line-height:1.35;color:#0f172a;background:#fff}
.pv-composer textarea::placeholder{color:#94a3b8}
.pv-send{all:unset;cursor:pointer;flex:none;width:44px;height:44px;border-radius:12px;background:var(--pv-color);color:var(--pv-on-color);display:flex;align-items:center;justify-content:center}
.pv-send:disabled{opacity:.4;cursor:default}
.pv-send:focus-visible{outline:3px solid var(--pv-color);outline-offset:2px}
.pv-error{margin:0 0 8px;font-size:13px;color:#b91c1c}
.pv-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
