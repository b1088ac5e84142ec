/** The four-step builder: Parameters, Schedule, Review, Submit, each checked before moving on. */
import { checkDefinition } from '../../../../shared/domain/reportDefinition';
import { useBuilder } from './builderStore';
import { ParametersStep } from './ParametersStep';
import { ScheduleStep } from './ScheduleStep';
import { ReviewStep } from './ReviewStep';
import { SubmitStep } from './SubmitStep';

const STEPS = ['Parameters', 'Schedule', 'Review', 'Submit'] as const;

export function Builder() {
  const { step, setStep, draft, reset } = useBuilder();
  const check = checkDefinition(draft);
  const canLeaveParameters = check.ok;
  const go = (to: number) => {
    if (to > 0 && !canLeaveParameters) {
      setStep(0);
      return;
    }
    setStep(to);
  };
  return (
    <section aria-labelledby="builder-title" className="builder">
      <div className="page-head builder-head">
        <h1 id="builder-title">Builder</h1>
        <button onClick={() => reset()}>Start over</button>
      </div>
      <ol className="stepper" aria-label="Steps">
        {STEPS.map((name, i) => (
          <li key={name}>
            <button aria-current={step === i ? 'step' : undefined} onClick={() => go(i)} disabled={i > 0 && !canLeaveParameters}>
              <span className="step-no">{i + 1}</span> {name}
            </button>
          </li>
        ))}
      </ol>
      {!check.ok && step === 0 && (
        <div role="status" className="panel hint">
          {check.issues.slice(0, 3).map((i) => <div key={i.path + i.message}>{i.path}: {i.message}</div>)}
        </div>
      )}
      <div className="step-body">
        {step === 0 && <ParametersStep />}
        {step === 1 && <ScheduleStep />}
        {step === 2 && <ReviewStep />}
        {step === 3 && <SubmitStep />}
      </div>
      <div className="step-nav">
        <button disabled={step === 0} onClick={() => go(step - 1)}>Back</button>
        <button className="primary" disabled={step === STEPS.length - 1 || !canLeaveParameters} onClick={() => go(step + 1)}>Next: {STEPS[step + 1] ?? ''}</button>
      </div>
    </section>
  );
}
