/** The display-filter bar. */
import { CompletionList, completionOptionId } from '../../widgets/completion-list/CompletionList';
import { useFilterBar } from './use-filter-bar';
import './filter-bar.css';

const VALIDITY_LABEL = { empty: '', checking: 'Checking…', valid: 'Valid filter', warning: 'Valid, with a warning', invalid: 'Invalid filter' };

export function FilterBar() {
  const f = useFilterBar();
  const listId = f.recentOpen ? 'filter-recent' : 'filter-completions';
  const open = f.recentOpen || f.completions.length > 0;
  return (
    <div className="filter-bar" role="search">
      <label htmlFor="filter-input" className="visually-hidden">
        Display filter
      </label>
      <div className={`fb-field v-${f.validity}`}>
        <input
          ref={f.input}
          id="filter-input"
          className="fb-input"
          type="text"
          spellCheck={false}
          autoComplete="off"
          placeholder="Apply a display filter … (Ctrl-/)"
          value={f.text}
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && f.active >= 0 ? completionOptionId(listId, f.active) : undefined}
          aria-invalid={f.validity === 'invalid'}
          aria-describedby="filter-message"
          data-validity={f.validity}
          onChange={(e) => f.onChange(e.target.value, e.target.selectionStart ?? e.target.value.length)}
          onSelect={(e) => f.onCaret(e.currentTarget.selectionStart ?? 0)}
          onScroll={(e) => f.setScroll(e.currentTarget.scrollLeft)}
          onKeyDown={f.onKeyDown}
          onBlur={f.onBlur}
        />
        {f.error ? (
          <div
            className="fb-underline"
            aria-hidden="true"
            style={{ left: `calc(var(--fb-pad) + ${f.error.start}ch - ${f.scroll}px)`, width: `${Math.max(1, f.error.end - f.error.start)}ch` }}
          />
        ) : null}
        <span className="visually-hidden" aria-live="polite">
          {VALIDITY_LABEL[f.validity]}
        </span>
        {f.recentOpen ? (
          <CompletionList id="filter-recent" items={f.recentItems} active={f.active} onPick={f.pickRecent} onHover={f.setActive} label="Recent filters" />
        ) : (
          <CompletionList id="filter-completions" items={f.completions} active={f.active} onPick={f.accept} onHover={f.setActive} label="Filter completions" />
        )}
      </div>
      {f.text ? (
        <button type="button" className="icon-button" aria-label="Clear the filter" title="Clear (Esc)" onClick={f.clear}>
          ×
        </button>
      ) : null}
      <button type="button" className="icon-button" aria-label="Recent filters" title="Recent filters" aria-expanded={f.recentOpen} onClick={f.toggleRecent}>
        ▾
      </button>
      <button type="button" className={`fb-apply${f.dirty ? ' dirty' : ''}`} onClick={f.apply} title="Apply (Enter)">
        {f.running !== null ? `Filtering ${f.running}%` : 'Apply'}
      </button>
      <div id="filter-message" className={`fb-message${f.message ? ' ' + f.message.kind : ''}`} role={f.message?.kind === 'error' ? 'alert' : undefined}>
        {f.message ? (
          <>
            <span className="fb-message-text">{f.message.text}</span>
            {f.message.hint ? <span className="fb-hint">{f.message.hint}</span> : null}
          </>
        ) : null}
      </div>
    </div>
  );
}
