import { render } from '@testing-library/react';
import { useState, version } from 'react';
import { version as domVersion } from 'react-dom';
import { describe, expect, it } from 'vitest';

function Counter() {
  const [count] = useState(7);
  return <output>{count}</output>;
}

describe('React under test', () => {
  it('is the major version this config asks for, in react, react-dom and testing-library', () => {
    console.info(`React ${version}, react-dom ${domVersion}`);
    expect(version.split('.')[0]).toBe(process.env.FLINKIT_REACT_MAJOR);
    expect(domVersion).toBe(version);
    // A second copy of React inside @testing-library/react would throw "Invalid hook call".
    expect(render(<Counter />).container.textContent).toBe('7');
  });
});
